// Minimal native-code headers for fixtures: just the fields a loader (and file-native-code) reads
// first, followed by zero padding. None of these is a runnable program; they exist so that fixtures
// never commit a real binary and so that each field can be set or cut short on purpose.

function writer(length: number, little: boolean): { bytes: Uint8Array; u16(at: number, value: number): void; u32(at: number, value: number): void } {
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  return {
    bytes,
    u16: (at, value) => view.setUint16(at, value, little),
    u32: (at, value) => view.setUint32(at, value, little),
  };
}

export interface ElfSpec {
  bits: 32 | 64;
  little: boolean;
  /** e_type: 1 relocatable, 2 executable, 3 shared object. */
  type: number;
  /** e_machine: 3 x86, 62 x86-64, 183 AArch64. */
  machine: number;
  /**
   * Program headers that tell a shared object's use: `interpreter` (PT_INTERP, a dynamically linked
   * program), `static-pie` (PT_DYNAMIC with DF_1_PIE), `library` (PT_DYNAMIC without it). None by default.
   */
  program?: 'interpreter' | 'static-pie' | 'library';
}

const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const INTERPRETER = '/lib64/ld-linux-x86-64.so.2\0';

/** An ELF identification and header (64 or 52 bytes), optionally one program header and what it points at, padded to 128 bytes at least. */
export function elfHeader({ bits, little, type, machine, program }: ElfSpec): Uint8Array {
  const wide = bits === 64;
  const headerSize = wide ? 64 : 52;
  const phentsize = wide ? 56 : 32;
  const dataAt = headerSize + (program === undefined ? 0 : phentsize);
  const dataSize = program === undefined ? 0 : program === 'interpreter' ? INTERPRETER.length : 2 * (wide ? 16 : 8);
  const w = writer(Math.max(128, dataAt + dataSize), little);
  w.bytes.set([0x7f, 0x45, 0x4c, 0x46, bits === 32 ? 1 : 2, little ? 1 : 2, 1 /* EV_CURRENT */]);
  w.u16(16, type);
  w.u16(18, machine);
  w.u32(20, 1);
  if (program === undefined) return w.bytes;
  // e_phoff, e_ehsize, e_phentsize, e_phnum.
  if (wide) w.u32(little ? 0x20 : 0x24, headerSize);
  else w.u32(0x1c, headerSize);
  w.u16(wide ? 0x34 : 0x28, headerSize);
  w.u16(wide ? 0x36 : 0x2a, phentsize);
  w.u16(wide ? 0x38 : 0x2c, 1);
  // p_type, p_offset, p_filesz of the one program header.
  w.u32(headerSize, program === 'interpreter' ? PT_INTERP : PT_DYNAMIC);
  if (wide) {
    w.u32(headerSize + (little ? 8 : 12), dataAt);
    w.u32(headerSize + (little ? 32 : 36), dataSize);
  } else {
    w.u32(headerSize + 4, dataAt);
    w.u32(headerSize + 16, dataSize);
  }
  if (program === 'interpreter') {
    w.bytes.set(new TextEncoder().encode(INTERPRETER), dataAt);
  } else {
    // DT_FLAGS_1 (with DF_1_PIE for a static-pie program, 0 for a library), then DT_NULL.
    const flags = program === 'static-pie' ? 0x08000000 : 0;
    if (wide) {
      w.u32(dataAt + (little ? 0 : 4), 0x6ffffffb);
      w.u32(dataAt + (little ? 8 : 12), flags);
    } else {
      w.u32(dataAt, 0x6ffffffb);
      w.u32(dataAt + 4, flags);
    }
  }
  return w.bytes;
}

export interface MachOSpec {
  bits: 32 | 64;
  little: boolean;
  /** cputype: 0x01000007 x86-64, 0x0100000c arm64. */
  cpu: number;
  /** filetype: 2 executable, 6 dylib, 8 bundle. */
  type: number;
}

/** A thin Mach-O header (28 or 32 bytes), padded to 64 bytes. */
export function machOHeader({ bits, little, cpu, type }: MachOSpec): Uint8Array {
  const w = writer(64, little);
  w.u32(0, bits === 32 ? 0xfeedface : 0xfeedfacf);
  w.u32(4, cpu);
  w.u32(12, type);
  return w.bytes;
}

/** A universal (fat) binary: the big-endian fat header, one record per slice, slices 64-byte aligned. */
export function universalBinary(slices: readonly MachOSpec[]): Uint8Array {
  const headerLength = 8 + slices.length * 20;
  const first = Math.ceil(headerLength / 64) * 64;
  const w = writer(first + slices.length * 64, false);
  w.u32(0, 0xcafebabe);
  w.u32(4, slices.length);
  slices.forEach((slice, index) => {
    const at = 8 + index * 20;
    const offset = first + index * 64;
    w.u32(at, slice.cpu);
    w.u32(at + 8, offset);
    w.u32(at + 12, 64);
    w.u32(at + 16, 6); // alignment 2^6
    w.bytes.set(machOHeader(slice), offset);
  });
  return w.bytes;
}

/** A Java class file header: CAFEBABE, minor 0, major `major` (52 is Java 8), then an empty-ish constant pool. */
export function javaClassHeader(major: number): Uint8Array {
  const w = writer(64, false);
  w.u32(0, 0xcafebabe);
  w.u16(4, 0);
  w.u16(6, major);
  w.u16(8, 16); // constant_pool_count
  return w.bytes;
}

export interface PeSpec {
  /** COFF machine: 0x14c x86, 0x8664 x86-64, 0xaa64 ARM64. */
  machine: number;
  dll: boolean;
}

/** A DOS stub pointing (e_lfanew = 0x80) at a PE signature, COFF header and PE32+ magic; 256 bytes. */
export function peImage({ machine, dll }: PeSpec): Uint8Array {
  const w = writer(256, true);
  w.bytes.set([0x4d, 0x5a]);
  w.u32(0x3c, 0x80);
  w.bytes.set([0x50, 0x45, 0x00, 0x00], 0x80);
  w.u16(0x84, machine);
  w.u16(0x86, 1); // NumberOfSections
  w.u16(0x94, 0xf0); // SizeOfOptionalHeader
  w.u16(0x96, 0x0002 | 0x0020 | (dll ? 0x2000 : 0)); // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE | DLL
  w.u16(0x98, 0x20b); // PE32+
  return w.bytes;
}

/** A WebAssembly module with no sections: magic and version 1. */
export function wasmModule(): Uint8Array {
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
}

/** A string stored in a crafted binary: ASCII by default, or UTF-16LE as Windows programs keep wide strings. */
export type EmbeddedString = string | { utf16: string };

/**
 * `header` followed by each string, NUL-terminated (two NULs after a UTF-16LE string), as a compiler
 * lays out string constants: what `strings(1)` and file-binary-strings read.
 */
export function withStrings(header: Uint8Array, strings: readonly EmbeddedString[]): Uint8Array {
  const parts = strings.map((value) =>
    typeof value === 'string'
      ? Uint8Array.from([...new TextEncoder().encode(value), 0])
      : Uint8Array.from([...[...value.utf16].flatMap((character) => [character.charCodeAt(0) & 0xff, 0]), 0, 0]),
  );
  const bytes = new Uint8Array(header.length + parts.reduce((sum, part) => sum + part.length, 0));
  bytes.set(header);
  let at = header.length;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
