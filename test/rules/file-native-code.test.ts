import { describe, expect, it } from 'vitest';
import rule from '../../rules/file-native-code.js';
import { elfHeader, machOHeader, peImage } from '../../scripts/lib/native-headers.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'file-native-code';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('reports each native file by content, with its format, architecture and the role its name suggests', async () => {
    const bundle = await scanFixture(`${DIR}/invalid.dxt`);
    expect(findingsOf(bundle, RULE)).toHaveLength(6);
    expect(findingWith(bundle, RULE, '"server/build/Release/addon.node" is an ELF 64-bit x86-64 shared object')).toMatchObject({
      severity: 'medium',
      location: { file: 'server/build/Release/addon.node' },
      origin: 'first-party',
    });
    expect(findingWith(bundle, RULE, 'addon.node').message).toContain('its name suggests a Node.js native addon');
    expect(findingWith(bundle, RULE, '"server/bin/helper" is a Mach-O 64-bit arm64 executable:').severity).toBe('medium');
    expect(findingWith(bundle, RULE, '"server/lib/tables.dat" is a Windows PE x86-64 DLL:').severity).toBe('medium');
    expect(findingWith(bundle, RULE, '"server/lib/libfast.dylib" is a universal Mach-O library for x86-64 and arm64').severity).toBe('medium');
    expect(findingWith(bundle, RULE, '"server/wasm/codec.wasm" is a WebAssembly module').severity).toBe('low');
    expect(findingWith(bundle, RULE, '"server/bin/stub" starts with the ELF signature but its header is cut short at 12 bytes')).toMatchObject({
      severity: 'low',
      location: { file: 'server/bin/stub' },
    });
    expect(bundle.capabilities).toContain('native-code');
  });

  it('says when no declared platform loads the format', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-platform.dxt`);
    expect(findingWith(bundle, RULE, '"server/native/addon.node" is a Mach-O 64-bit arm64 loadable bundle (plugin)').message).toContain(
      'No platform the manifest declares (win32) loads Mach-O files natively.',
    );
  });

  it('does not mention platforms when the manifest declares none, or one that loads the file', async () => {
    const bundle = await scanFixture(`${DIR}/invalid.dxt`);
    for (const finding of findingsOf(bundle, RULE)) expect(finding.message).not.toContain('platform');
  });

  it('ignores Java classes, text under addon names, "MZ" text and magic past the first byte', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid.dxt`), RULE)).toEqual([]);
  });
});

describe(`${RULE} in dependencies`, () => {
  it('reports one finding per package, at the severity of its most capable file', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-dependency.dxt`);
    expect(findingsOf(bundle, RULE).map(({ severity, origin, location }) => ({ severity, origin, location }))).toEqual([
      { severity: 'medium', origin: 'dependency', location: { file: 'server/node_modules/bare-fs/prebuilds/darwin-arm64/bare-fs.bare' } },
      { severity: 'low', origin: 'dependency', location: { file: 'server/node_modules/@acme/codec/codec.wasm' } },
    ]);
    expect(findingWith(bundle, RULE, 'Dependency "bare-fs" ships 3 native files (ELF, Mach-O, PE), for example').severity).toBe('medium');
  });
});

describe(`${RULE} in Python bundles`, () => {
  it('counts extension modules as native code, one finding per vendored package', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-python.dxt`);
    expect(findingsOf(bundle, RULE).map(({ severity, origin, location }) => ({ severity, origin, location }))).toEqual([
      { severity: 'medium', origin: 'first-party', location: { file: 'server/_native.abi3.so' } },
      { severity: 'medium', origin: 'dependency', location: { file: 'server/lib/site-packages/fastcodec/_speedups.cpython-312-darwin.so' } },
    ]);
    expect(findingWith(bundle, RULE, '"server/_native.abi3.so" is an ELF 64-bit AArch64 shared library; its name suggests a Python extension module')).toBeDefined();
    expect(findingWith(bundle, RULE, 'Dependency "fastcodec" ships 3 native files (ELF, Mach-O, PE)')).toBeDefined();
    expect(bundle.capabilities).toContain('native-code');
  });

  it('leaves text named like an extension module alone', async () => {
    const bundle = await scanFixture(`${DIR}/valid-python.dxt`);
    expect(findingsOf(bundle, RULE)).toEqual([]);
    expect(bundle.capabilities).not.toContain('native-code');
  });
});

describe(`${RULE} in binary servers`, () => {
  const manifest = {
    server: {
      type: 'binary',
      entry_point: 'server/bin/tool',
      mcp_config: { command: '${__dirname}/server/bin/tool', platform_overrides: { linux: { command: '${__dirname}/server/bin/linux/tool' } } },
    },
  };

  it("reports the program's builds for each platform as one finding, and other native files on their own", () => {
    const findings = runRule(
      rule,
      bundleFacts(
        {
          'server/bin/tool': machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 2 }),
          'server/bin/tool.exe': peImage({ machine: 0x8664, dll: false }),
          'server/bin/linux/tool': elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'interpreter' }),
          'server/lib/helper.dylib': machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 6 }),
        },
        manifest,
      ),
    );
    expect(findings.map(({ severity, location, message }) => ({ severity, location, message }))).toEqual([
      {
        severity: 'medium',
        location: { file: 'server/bin/tool' },
        message:
          'The server\'s program ships as 3 native files (ELF, Mach-O, PE), for example "server/bin/tool", a Mach-O 64-bit arm64 executable: native code, whose behaviour cannot be audited from its source.',
      },
      { severity: 'medium', location: { file: 'server/lib/helper.dylib' }, message: expect.stringContaining('"server/lib/helper.dylib" is a Mach-O 64-bit arm64 dynamic library') },
    ]);
  });

  it('reports a single build as any other native file', () => {
    const findings = runRule(rule, bundleFacts({ 'server/bin/tool': machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 2 }) }, manifest));
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium', message: expect.stringContaining('File "server/bin/tool" is a Mach-O 64-bit arm64 executable') })]);
  });
});
