// What a reader (zip or directory) learned about a bundle's container. Readers record facts;
// rules decide what is a finding. Nothing here is trusted: names are raw as stored.

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface ContainerEntry {
  /** The name exactly as stored in the archive or found on disk, before any normalisation. */
  name: string;
  kind: EntryKind;
  /** Unix mode bits, when the container records them. */
  mode: number | null;
  /** Archive entries: the general-purpose flag says the entry is encrypted. */
  encrypted: boolean;
  /** Archive entries: bytes as stored (compressed). */
  compressedSize: number;
  /** Bytes after inflating, as declared by the header (archives) or by lstat (directories). Never trusted for limits. */
  declaredSize: number;
  /** Archive entries: offset of the local file header. */
  localHeaderOffset: number | null;
  /** Symbolic links: where the link points, as stored; never followed. */
  linkTarget?: string;
}

export interface VirtualFile {
  /** Normalised relative path, `/`-separated, no `.` or `..` segments. */
  path: string;
  bytes: Uint8Array;
  executable: boolean;
}

export type ReaderEventKind =
  /** A file of 0 bytes: nothing in it, so not an extension (an interrupted download, a placeholder). */
  | 'empty'
  | 'not-zip'
  | 'too-large'
  | 'limit'
  | 'corrupt'
  | 'encrypted'
  | 'unsupported-method'
  | 'header-mismatch'
  | 'overlap'
  | 'unreadable';

export interface ReaderEvent {
  kind: ReaderEventKind;
  /** Raw entry name the event concerns, when it concerns one. */
  entry?: string;
  /** Which limit was hit, for `limit` events. */
  limit?: 'maxTotalBytes' | 'maxEntryBytes' | 'maxEntries' | 'maxRatio' | 'maxDepth';
  detail: string;
}

export interface SignatureBlock {
  /** `MCPB` or `DXT`, from the header magic. */
  flavour: 'MCPB' | 'DXT';
  /** Offset of the header magic in the file; the signature covers bytes [0, offset). */
  offset: number;
  /** Declared length of the PKCS#7 blob. */
  length: number;
  /** Problems found while parsing the block strictly; empty when well-formed. */
  problems: string[];
  /**
   * Where the EOCD's comment-length field is, when the block is declared as the archive comment (as
   * `mcpb sign` writes it since its EOCD fix) instead of following the archive.
   */
  commentLengthAt?: number;
  /** The cryptographic check (bundle/verify-signature.ts), made when the framing has no problem. */
  verification?: SignatureVerification;
}

/** What checking a well-formed block found. */
export interface SignatureVerification {
  status: 'valid' | 'self-signed' | 'untrusted' | 'invalid';
  /** Why it is not valid. */
  reason?: string;
  /** For `untrusted`: the chain is sound as far as it goes; only its root is not a trusted one. */
  rootOnly?: boolean;
  signer?: Signer;
}

/** Who signed, from the signer's certificate. */
export interface Signer {
  subject: string;
  issuer: string;
  /** Lower-case hex. */
  serial: string;
  /** SHA-256 fingerprint of the certificate, lower-case hex. */
  sha256: string;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** Why the signer is not trusted, when it is not. */
  untrusted?: string;
}

export interface ArchiveLayout {
  /** End-of-central-directory records found in the file. */
  eocdCount: number;
  /** Bytes before the first local file header (self-extracting stubs, polyglots). */
  prefixBytes: number;
  /** Bytes after the archive (EOCD plus comment) that are not a well-formed signature block. */
  trailingBytes: number;
  signature: SignatureBlock | null;
}

export interface ContainerFacts {
  kind: 'archive' | 'directory';
  /** Hex SHA-256 of the archive bytes; null for a directory. */
  sha256: string | null;
  entries: ContainerEntry[];
  /** Files by normalised path. Entries with unsafe names are not placed in the tree. */
  files: Map<string, VirtualFile>;
  events: ReaderEvent[];
  /** Archives only. */
  layout: ArchiveLayout | null;
}

// Events after which some content was not read. A header mismatch or an overlap is a finding,
// but every byte was still inflated and checked.
const GAP_EVENTS: ReadonlySet<ReaderEventKind> = new Set([
  'empty',
  'not-zip',
  'too-large',
  'limit',
  'corrupt',
  'encrypted',
  'unsupported-method',
  'unreadable',
]);

/** The events that left some of the container unread, as one sentence each. */
export function readingGaps(container: ContainerFacts): string[] {
  return container.events
    .filter((event) => GAP_EVENTS.has(event.kind))
    .map((event) => (event.entry === undefined ? event.detail : `${event.entry}: ${event.detail}`));
}
