import { describe, expect, it } from 'vitest';
import { identifyNative, roleByName } from '../../../src/analysis/binary/identify.js';
import { elfHeader, javaClassHeader, machOHeader, peImage, universalBinary, wasmModule } from '../../../scripts/lib/native-headers.js';

describe('identifyNative', () => {
  it('reads ELF class, byte order, machine and type', () => {
    expect(identifyNative(elfHeader({ bits: 32, little: false, type: 2, machine: 8 }))?.description).toBe('an ELF 32-bit MIPS executable');
    expect(identifyNative(elfHeader({ bits: 64, little: true, type: 3, machine: 183 }))?.description).toBe(
      'an ELF 64-bit AArch64 shared object (a library or a position-independent executable)',
    );
    expect(identifyNative(elfHeader({ bits: 64, little: true, type: 1, machine: 0x4242 }))?.description).toBe('an ELF 64-bit machine 0x4242 relocatable object');
  });

  it('tells programs from libraries among shared ELF objects by their program headers', () => {
    const shared = (program: 'interpreter' | 'static-pie' | 'library', bits: 32 | 64 = 64, little = true) =>
      identifyNative(elfHeader({ bits, little, type: 3, machine: 62, program }));
    expect(shared('interpreter')).toMatchObject({ description: 'an ELF 64-bit x86-64 position-independent executable', kind: 'program', architectures: ['x86-64'] });
    expect(shared('static-pie')).toMatchObject({ description: 'an ELF 64-bit x86-64 position-independent executable', kind: 'program' });
    expect(shared('library')).toMatchObject({ description: 'an ELF 64-bit x86-64 shared library', kind: 'library' });
    for (const bits of [32, 64] as const) {
      for (const little of [true, false]) {
        expect(shared('interpreter', bits, little)?.kind).toBe('program');
        expect(shared('static-pie', bits, little)?.kind).toBe('program');
        expect(shared('library', bits, little)?.kind).toBe('library');
      }
    }
    // Without program headers the bytes do not say.
    expect(identifyNative(elfHeader({ bits: 64, little: true, type: 3, machine: 183 }))).toMatchObject({ kind: 'unknown', architectures: ['arm64'] });
    expect(identifyNative(elfHeader({ bits: 64, little: true, type: 2, machine: 62 }))?.kind).toBe('program');
    expect(identifyNative(elfHeader({ bits: 64, little: true, type: 1, machine: 62 }))?.kind).toBe('other');
    expect(identifyNative(elfHeader({ bits: 32, little: false, type: 2, machine: 8 }))?.architectures).toEqual(['MIPS']);
  });

  it('never reads past the end of a shared object whose program headers point outside it', () => {
    const header = elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'static-pie' });
    for (let length = 0; length <= header.length; length++) expect(() => identifyNative(header.subarray(0, length))).not.toThrow();
    const far = new Uint8Array(header);
    new DataView(far.buffer).setUint32(0x20, 0xfffffff0, true);
    expect(identifyNative(far)?.kind).toBe('unknown');
    const huge = new Uint8Array(header);
    new DataView(huge.buffer).setUint32(0x24, 1, true); // e_phoff above 2^32
    expect(identifyNative(huge)?.kind).toBe('unknown');
  });

  it('says what a Mach-O or PE file is for and which processors it holds code for', () => {
    expect(identifyNative(machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 2 }))).toMatchObject({ kind: 'program', architectures: ['arm64'] });
    expect(identifyNative(machOHeader({ bits: 64, little: true, cpu: 0x01000007, type: 8 }))).toMatchObject({ kind: 'library', architectures: ['x86-64'] });
    expect(identifyNative(machOHeader({ bits: 64, little: true, cpu: 0x01000007, type: 10 }))?.kind).toBe('other');
    const fat = universalBinary([
      { bits: 64, little: true, cpu: 0x01000007, type: 2 },
      { bits: 64, little: true, cpu: 0x0100000c, type: 2 },
    ]);
    expect(identifyNative(fat)).toMatchObject({ description: 'a universal Mach-O executable for x86-64 and arm64', kind: 'program', architectures: ['x86-64', 'arm64'] });
    expect(identifyNative(peImage({ machine: 0x8664, dll: false }))).toMatchObject({ kind: 'program', architectures: ['x86-64'] });
    expect(identifyNative(peImage({ machine: 0xa641, dll: true }))).toMatchObject({ kind: 'library', architectures: ['arm64'] });
    expect(identifyNative(wasmModule())).toMatchObject({ kind: 'unknown', architectures: [] });
  });

  it('reads thin Mach-O headers in both byte orders and widths', () => {
    expect(identifyNative(machOHeader({ bits: 32, little: false, cpu: 18, type: 2 }))?.description).toBe('a Mach-O 32-bit PowerPC executable');
    expect(identifyNative(machOHeader({ bits: 32, little: true, cpu: 7, type: 6 }))?.description).toBe('a Mach-O 32-bit x86 dynamic library');
    expect(identifyNative(machOHeader({ bits: 64, little: false, cpu: 0x0100000c, type: 8 }))?.description).toBe(
      'a Mach-O 64-bit arm64 loadable bundle (plugin)',
    );
  });

  it('tells universal binaries from Java classes', () => {
    expect(identifyNative(universalBinary([{ bits: 64, little: true, cpu: 0x0100000c, type: 2 }]))?.description).toBe('a universal Mach-O executable for arm64');
    for (const major of [45, 52, 65, 69]) expect(identifyNative(javaClassHeader(major))).toBeNull();
    // Java 1.1 writes minor 3: the second word is then 0x0003002d.
    const java11 = javaClassHeader(45);
    java11[5] = 3;
    expect(identifyNative(java11)).toBeNull();
  });

  it('reads the byte-swapped fat magic little-endian', () => {
    const fat = universalBinary([{ bits: 64, little: true, cpu: 0x01000007, type: 6 }]);
    const swapped = new Uint8Array(fat);
    const view = new DataView(fat.buffer);
    const out = new DataView(swapped.buffer);
    for (let at = 0; at < 28; at += 4) out.setUint32(at, view.getUint32(at, false), true);
    expect(identifyNative(swapped)?.description).toBe('a universal Mach-O library for x86-64');
  });

  it('rejects a fat header whose slices do not fit the file or name no known CPU', () => {
    const fat = universalBinary([{ bits: 64, little: true, cpu: 0x01000007, type: 6 }]);
    expect(identifyNative(fat.subarray(0, 40))).toBeNull(); // slice offset 64 + size 64 past the end
    const unknownCpu = new Uint8Array(fat);
    new DataView(unknownCpu.buffer).setUint32(8, 0x12345678, false);
    expect(identifyNative(unknownCpu)).toBeNull();
    const zeroArchs = new Uint8Array(fat);
    new DataView(zeroArchs.buffer).setUint32(4, 0, false);
    expect(identifyNative(zeroArchs)).toBeNull();
  });

  it('needs a PE signature where e_lfanew points', () => {
    expect(identifyNative(peImage({ machine: 0xaa64, dll: false }))?.description).toBe('a Windows PE ARM64 executable');
    expect(identifyNative(peImage({ machine: 0x14c, dll: true }))?.description).toBe('a Windows PE x86 DLL');
    const moved = peImage({ machine: 0x8664, dll: false });
    new DataView(moved.buffer).setUint32(0x3c, 0x40, true);
    expect(identifyNative(moved)).toBeNull();
    const far = peImage({ machine: 0x8664, dll: false });
    new DataView(far.buffer).setUint32(0x3c, 0xffffffff, true);
    expect(identifyNative(far)).toBeNull();
    expect(identifyNative(new TextEncoder().encode('MZ'))).toBeNull();
  });

  it('reads WebAssembly modules and components', () => {
    expect(identifyNative(wasmModule())).toMatchObject({ format: 'WebAssembly', description: 'a WebAssembly module', platform: null });
    expect(identifyNative(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]))?.description).toBe('a WebAssembly component');
  });

  it('never throws on any prefix of a header, and says when one is cut short', () => {
    const headers = [
      elfHeader({ bits: 64, little: true, type: 3, machine: 62 }),
      machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 2 }),
      universalBinary([{ bits: 64, little: true, cpu: 0x0100000c, type: 2 }, { bits: 64, little: true, cpu: 0x01000007, type: 2 }]),
      peImage({ machine: 0x8664, dll: true }),
      wasmModule(),
      javaClassHeader(52),
    ];
    for (const header of headers) {
      for (let length = 0; length <= header.length; length++) expect(() => identifyNative(header.subarray(0, length))).not.toThrow();
    }
    expect(identifyNative(headers[0]!.subarray(0, 19))).toMatchObject({ format: 'ELF', malformed: 'cut short at 19 bytes' });
    expect(identifyNative(headers[1]!.subarray(0, 20))).toMatchObject({ format: 'Mach-O', malformed: 'cut short at 20 bytes' });
    expect(identifyNative(headers[2]!.subarray(0, 20))).toMatchObject({ format: 'Mach-O', malformed: 'cut short at 20 bytes' });
    expect(identifyNative(headers[4]!.subarray(0, 6))).toMatchObject({ format: 'WebAssembly', malformed: 'cut short at 6 bytes' });
    expect(identifyNative(new Uint8Array())).toBeNull();
  });

  it('calls an ELF with impossible identification bytes not valid, and never throws on garbage', () => {
    const bad = elfHeader({ bits: 64, little: true, type: 3, machine: 62 });
    bad[4] = 9;
    expect(identifyNative(bad)).toMatchObject({ format: 'ELF', malformed: 'not valid' });
    let seed = 0x1234567;
    for (let round = 0; round < 2000; round++) {
      const length = round % 97;
      const bytes = Uint8Array.from({ length }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
      // Force a known magic onto half the samples so the header parsers see garbage behind it.
      const magic = [[0x7f, 0x45, 0x4c, 0x46], [0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe], [0xbe, 0xba, 0xfe, 0xca], [0x4d, 0x5a], [0x00, 0x61, 0x73, 0x6d]][round % 6]!;
      if (round % 2 === 0) bytes.set(magic.slice(0, Math.min(magic.length, length)));
      expect(() => identifyNative(bytes)).not.toThrow();
    }
  });
});

describe('roleByName', () => {
  it.each([
    ['server/build/Release/addon.node', 'a Node.js native addon'],
    ['lib/_speedups.cpython-312-darwin.so', 'a Python extension module'],
    ['lib/_native.abi3.so', 'a Python extension module'],
    ['lib/_speedups.pyd', 'a Python extension module'],
    ['lib/libvips-cpp.so.8.17.3', 'a shared library'],
    ['lib/libfoo.dylib', 'a macOS dynamic library'],
    ['bin/tool.EXE', 'a Windows program'],
    ['bin/rg', null],
    ['notes.node.md', null],
  ])('%s -> %s', (path, role) => {
    expect(roleByName(path)).toBe(role);
  });
});
