import { createHash, verify, X509Certificate, constants, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { ContentInfo, SignedData, SignerInfo, id_data, id_signedData } from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { Certificate, SubjectKeyIdentifier, id_ce_subjectKeyIdentifier } from '@peculiar/asn1-x509';
import type { SignatureBlock, SignatureVerification, Signer } from './container.js';

// Checks an MCPB/DXT signature block offline: the CMS structure, the archive's digest against the
// signed messageDigest, the signature over the signed attributes, and the chain from the signer to a
// root (Node's bundled roots plus the user's --trust-cert files; never the network). Parsing is by
// @peculiar/asn1-cms; digests, signatures and certificates are node:crypto's.

const OID = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  codeSigning: '1.3.6.1.5.5.7.3.3',
} as const;

const DIGESTS: Readonly<Record<string, string>> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};

/** Signature algorithms by OID: the hash they fix (null: the digest algorithm's; 'none': Ed25519's own). */
const SIGNATURE_ALGORITHMS: Readonly<Record<string, { hash: string | null; padding?: number }>> = {
  '1.2.840.113549.1.1.1': { hash: null, padding: constants.RSA_PKCS1_PADDING },
  '1.2.840.113549.1.1.11': { hash: 'sha256', padding: constants.RSA_PKCS1_PADDING },
  '1.2.840.113549.1.1.12': { hash: 'sha384', padding: constants.RSA_PKCS1_PADDING },
  '1.2.840.113549.1.1.13': { hash: 'sha512', padding: constants.RSA_PKCS1_PADDING },
  '1.2.840.10045.2.1': { hash: null },
  '1.2.840.10045.4.3.2': { hash: 'sha256' },
  '1.2.840.10045.4.3.3': { hash: 'sha384' },
  '1.2.840.10045.4.3.4': { hash: 'sha512' },
  '1.3.101.112': { hash: 'none' },
};

/** Longest chain followed from the signer; real code-signing chains have three or four links. */
const MAX_CHAIN = 8;

export interface Trust {
  /** PEM certificates the user trusts besides Node's bundled roots (`--trust-cert`). */
  certificates: readonly string[];
  /** Milliseconds since the epoch at which validity dates are judged. */
  now: number;
}

export type BlockCheck = { malformed: string } | SignatureVerification;

/**
 * Verifies a well-formed block; `malformed` when its content is not a single-signer CMS SignedData.
 * Never throws: whatever part of hostile DER the parsers refuse makes the block malformed.
 */
export function verifyBlock(file: Uint8Array, block: SignatureBlock, trust: Trust): BlockCheck {
  try {
    return checkBlock(file, block, trust);
  } catch (error) {
    return { malformed: `part of its CMS structure cannot be read (${error instanceof Error ? error.message : String(error)})` };
  }
}

function checkBlock(file: Uint8Array, block: SignatureBlock, trust: Trust): BlockCheck {
  const start = block.offset + `${block.flavour}_SIG_V1`.length + 4;
  const der = file.subarray(start, start + block.length);
  const parsed = parseSignedData(der);
  if ('malformed' in parsed) return parsed;
  const { signed, certificates, signedAttributes } = parsed;
  const signerInfo = signed.signerInfos[0]!;
  const signer = certificates.find((candidate) => identifies(signerInfo, candidate.parsed));
  if (signer === undefined) return { malformed: 'the block does not carry the certificate of its signer' };
  const about = signerOf(signer.x509);
  const untrustedBecause = (reason: string, rootOnly = false): SignatureVerification => ({ status: 'untrusted', reason, rootOnly, signer: { ...about, untrusted: reason } });

  const hash = DIGESTS[signerInfo.digestAlgorithm.algorithm];
  if (hash === undefined) return untrustedBecause(`its digest algorithm ${signerInfo.digestAlgorithm.algorithm} is not one dxt-audit verifies (SHA-256, SHA-384, SHA-512)`);
  const algorithm = SIGNATURE_ALGORITHMS[signerInfo.signatureAlgorithm.algorithm];
  if (algorithm === undefined) return untrustedBecause(`its signature algorithm ${signerInfo.signatureAlgorithm.algorithm} is not one dxt-audit verifies`);
  if (signed.encapContentInfo.eContent !== undefined) {
    return { status: 'invalid', reason: 'the signature carries content of its own instead of covering the archive', signer: about };
  }

  const coverage = contentDigestProblem(file, block, hash, signerInfo);
  if (coverage !== null) return { status: 'invalid', reason: coverage, signer: about };
  if (signedAttributes === undefined) return { status: 'invalid', reason: 'the signature has no signed attributes', signer: about };
  const signatureHash = algorithm.hash === 'none' ? null : (algorithm.hash ?? hash);
  const key: KeyObject | { key: KeyObject; padding: number } =
    algorithm.padding === undefined ? signer.x509.publicKey : { key: signer.x509.publicKey, padding: algorithm.padding };
  let verified = false;
  try {
    verified = verify(signatureHash, signedAttributes, key, Buffer.from(signerInfo.signature.buffer));
  } catch {
    verified = false;
  }
  if (!verified) return { status: 'invalid', reason: "the signature does not verify with the signer's certificate", signer: about };

  const chain = judgeChain(signer.x509, certificates.map((each) => each.x509), trust);
  if (chain.status === 'valid') return { status: 'valid', signer: about };
  if (chain.status === 'self-signed') return { status: 'self-signed', reason: chain.reason, signer: { ...about, untrusted: chain.reason } };
  return untrustedBecause(chain.reason, chain.rootOnly);
}

interface CarriedCertificate {
  x509: X509Certificate;
  parsed: Certificate;
}

interface ParsedBlock {
  signed: SignedData;
  certificates: CarriedCertificate[];
  /** The bytes the signature covers, when there are signed attributes. */
  signedAttributes: Buffer | undefined;
}

function parseSignedData(der: Uint8Array): { malformed: string } | ParsedBlock {
  const outer = asn1js.fromBER(der);
  const end = outer.offset;
  if (end === -1 || outer.result.error !== '') return { malformed: 'its PKCS#7 data is not DER' };
  // Some signing services pad the block; zero bytes after the structure are tolerated, nothing else.
  if (der.subarray(end).some((byte) => byte !== 0)) return { malformed: `${der.length - end} bytes follow the PKCS#7 structure inside the block` };
  let signed: SignedData;
  try {
    const info = AsnConvert.parse(der.subarray(0, end), ContentInfo);
    if (info.contentType !== id_signedData) return { malformed: `its PKCS#7 content is ${info.contentType}, not SignedData` };
    signed = AsnConvert.parse(info.content, SignedData);
  } catch {
    return { malformed: 'its PKCS#7 data does not parse as CMS SignedData' };
  }
  if (signed.signerInfos.length !== 1) return { malformed: `it has ${signed.signerInfos.length} signers; a bundle signature has one` };
  const certificates: CarriedCertificate[] = [];
  for (const raw of certificateBytes(outer.result)) {
    try {
      certificates.push({ x509: new X509Certificate(raw), parsed: AsnConvert.parse(raw, Certificate) });
    } catch {
      return { malformed: 'a certificate in the block does not parse' };
    }
  }
  const signedData = childrenOf(childrenOf(outer.result)[1])[0];
  return { signed, certificates, signedAttributes: signedAttributesOf(childrenOf(childrenOf(signedData).at(-1))[0]) };
}

/** The certificates' own bytes: re-encoding a parsed certificate could change what its issuer signed. */
function certificateBytes(contentInfo: asn1js.AsnType): Uint8Array[] {
  const signedData = childrenOf(childrenOf(contentInfo)[1])[0];
  return childrenOf(contextChild(signedData, 0)).map((certificate) => new Uint8Array(certificate.valueBeforeDecodeView));
}

/**
 * A SignerInfo's signed attributes as the signer encoded them, re-tagged from [0] IMPLICIT to SET:
 * the bytes its signature covers. Re-encoding them could reorder or re-encode what was signed.
 */
export function signedAttributesOf(signerInfo: asn1js.AsnType | undefined): Buffer | undefined {
  const attributes = contextChild(signerInfo, 0);
  if (attributes === undefined) return undefined;
  const bytes = Buffer.from(attributes.valueBeforeDecodeView);
  bytes[0] = 0x31;
  return bytes;
}

function contextChild(node: asn1js.AsnType | undefined, tag: number): asn1js.AsnType | undefined {
  return childrenOf(node).find((child) => child.idBlock.tagClass === 3 && child.idBlock.tagNumber === tag);
}

function childrenOf(node: asn1js.AsnType | undefined): asn1js.AsnType[] {
  const value = (node as { valueBlock?: { value?: unknown } } | undefined)?.valueBlock?.value;
  return Array.isArray(value) ? (value as asn1js.AsnType[]) : [];
}

function identifies(signerInfo: SignerInfo, certificate: Certificate): boolean {
  const { issuerAndSerialNumber, subjectKeyIdentifier } = signerInfo.sid;
  if (issuerAndSerialNumber !== undefined) {
    return (
      sameBytes(issuerAndSerialNumber.serialNumber, certificate.tbsCertificate.serialNumber) &&
      sameBytes(AsnConvert.serialize(issuerAndSerialNumber.issuer), AsnConvert.serialize(certificate.tbsCertificate.issuer))
    );
  }
  if (subjectKeyIdentifier === undefined) return false;
  const extension = certificate.tbsCertificate.extensions?.find((each) => each.extnID === id_ce_subjectKeyIdentifier);
  if (extension === undefined) return false;
  const keyId = AsnConvert.parse(extension.extnValue, SubjectKeyIdentifier);
  return sameBytes(keyId.buffer, subjectKeyIdentifier.buffer);
}

/** Null when the archive's digest is the signed one; otherwise why the block does not cover the archive. */
function contentDigestProblem(file: Uint8Array, block: SignatureBlock, hash: string, signerInfo: SignerInfo): string | null {
  const attributes = signerInfo.signedAttrs;
  if (attributes === undefined) return 'the signature has no signed attributes, so it names no digest of the archive';
  const contentType = attributes.find((each) => each.attrType === OID.contentType);
  if (contentType === undefined || objectIdentifier(contentType.attrValues[0]) !== id_data) {
    return 'its signed content type is not data';
  }
  const digests = attributes.filter((each) => each.attrType === OID.messageDigest);
  if (digests.length !== 1 || digests[0]!.attrValues.length !== 1) return 'it does not sign exactly one message digest';
  const signedDigest = Buffer.from(AsnConvert.parse(digests[0]!.attrValues[0]!, OctetString).buffer);
  const covered = file.subarray(0, block.offset);
  if (signedDigest.equals(createHash(hash).update(covered).digest())) return null;
  // `mcpb sign` since its EOCD fix declares the block as the archive comment after signing: the
  // signed bytes are the archive with the comment length it had before, which was zero.
  if (block.commentLengthAt !== undefined) {
    const before = Buffer.from(covered);
    before.writeUInt16LE(0, block.commentLengthAt);
    if (signedDigest.equals(createHash(hash).update(before).digest())) return null;
  }
  return `the archive's ${hash.toUpperCase().replace('SHA', 'SHA-')} digest is not the one that was signed: its bytes changed after signing, or the block was taken from another bundle`;
}

function objectIdentifier(value: ArrayBuffer | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = asn1js.fromBER(value).result;
  return parsed instanceof asn1js.ObjectIdentifier ? parsed.getValue() : undefined;
}

type ChainVerdict = { status: 'valid' } | { status: 'self-signed'; reason: string } | { status: 'untrusted'; reason: string; rootOnly: boolean };

function judgeChain(signer: X509Certificate, carried: readonly X509Certificate[], trust: Trust): ChainVerdict {
  const anchors = trustAnchors(trust.certificates);
  const isAnchor = (certificate: X509Certificate) => anchors.some((anchor) => anchor.fingerprint256 === certificate.fingerprint256);
  const problems: string[] = [];
  const purposes = signer.keyUsage;
  if (purposes === undefined || !purposes.includes(OID.codeSigning)) problems.push('the signing certificate is not for code signing');

  let current = signer;
  for (let link = 0; link < MAX_CHAIN; link++) {
    const dates = validityProblem(current, trust.now);
    if (dates !== null) problems.push(dates);
    if (isAnchor(current)) return problems.length === 0 ? { status: 'valid' } : { status: 'untrusted', reason: problems.join('; '), rootOnly: false };
    if (selfSigned(current)) {
      if (current === signer) return { status: 'self-signed', reason: ['the signing certificate is self-signed', ...problems].join('; ') };
      return verdictAtUnknownRoot(`the chain ends at ${commonName(current)}, a root that is not trusted`, problems);
    }
    // By name, then by key: checkIssued would also skip an issuer that is not a CA, hiding why the chain is broken.
    const named = [...anchors, ...carried].filter((candidate) => candidate !== current && candidate.subject === current.issuer);
    if (named.length === 0) return verdictAtUnknownRoot(`the issuer of ${commonName(current)} is neither carried in the block nor a trusted root`, problems);
    const issuer = named.find((candidate) => signedBy(current, candidate.publicKey));
    if (issuer === undefined) {
      problems.push(`${commonName(current)} is not signed by the key of its issuer ${commonName(named[0]!)}`);
      return { status: 'untrusted', reason: problems.join('; '), rootOnly: false };
    }
    if (!issuer.ca) problems.push(`${commonName(issuer)} issued a certificate but is not a certificate authority`);
    current = issuer;
  }
  return { status: 'untrusted', reason: [...problems, `the chain is longer than ${MAX_CHAIN} certificates`].join('; '), rootOnly: false };
}

function verdictAtUnknownRoot(reason: string, problems: readonly string[]): ChainVerdict {
  return { status: 'untrusted', reason: [...problems, reason].join('; '), rootOnly: problems.length === 0 };
}

function validityProblem(certificate: X509Certificate, now: number): string | null {
  if (now < Date.parse(certificate.validFrom)) return `${commonName(certificate)} is not valid before ${isoDate(certificate.validFrom)}`;
  if (now > Date.parse(certificate.validTo)) return `${commonName(certificate)} expired on ${isoDate(certificate.validTo)}`;
  return null;
}

// By name and key, not checkIssued(itself): OpenSSL's issuer check also wants keyCertSign, which a
// self-signed publisher certificate rarely has.
function selfSigned(certificate: X509Certificate): boolean {
  return certificate.subject === certificate.issuer && signedBy(certificate, certificate.publicKey);
}

function signedBy(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.verify(key);
  } catch {
    return false;
  }
}

let bundledRoots: X509Certificate[] | undefined;

function trustAnchors(extra: readonly string[]): X509Certificate[] {
  bundledRoots ??= rootCertificates.map((pem) => new X509Certificate(pem));
  return [...bundledRoots, ...extra.map((pem) => new X509Certificate(pem))];
}

function signerOf(certificate: X509Certificate): Signer {
  return {
    subject: distinguishedName(certificate.subject),
    issuer: distinguishedName(certificate.issuer),
    serial: certificate.serialNumber.toLowerCase(),
    sha256: certificate.fingerprint256.replaceAll(':', '').toLowerCase(),
    notBefore: isoDate(certificate.validFrom),
    notAfter: isoDate(certificate.validTo),
  };
}

function distinguishedName(lines: string): string {
  return lines.split('\n').join(', ');
}

function commonName(certificate: X509Certificate): string {
  const line = certificate.subject.split('\n').find((each) => each.startsWith('CN='));
  return `"${line === undefined ? distinguishedName(certificate.subject) : line.slice(3)}"`;
}

function isoDate(text: string): string {
  return new Date(text).toISOString();
}

function sameBytes(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  return Buffer.from(a instanceof Uint8Array ? a : new Uint8Array(a)).equals(Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)));
}
