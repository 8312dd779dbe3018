import { describe, expect, it } from 'vitest';
import rule from '../../rules/manifest-binary-entry.js';
import { elfHeader, machOHeader, peImage } from '../../scripts/lib/native-headers.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-binary-entry';
const DIR = `fixtures/rules/${RULE}`;
const COMMAND = '/server/mcp_config/command';

describe(RULE, () => {
  it('reports a declared platform that gets another platform\'s program or a library, low while another platform can start', async () => {
    const bundle = await scanFixture(`${DIR}/invalid.dxt`);
    expect(findingsOf(bundle, RULE)).toHaveLength(2);
    expect(
      findingWith(bundle, RULE, 'server.mcp_config.command runs "server/bin/acme-server" on linux, but it is a universal Mach-O executable for x86-64 and arm64, which linux cannot start.'),
    ).toMatchObject({ severity: 'low', location: { file: 'manifest.json', pointer: COMMAND } });
    expect(
      findingWith(bundle, RULE, 'platform_overrides.win32.command runs "server/bin/acme-server.dll" on win32, but it is a Windows PE x86-64 DLL, which no loader starts as a program.'),
    ).toMatchObject({ severity: 'low', location: { pointer: '/server/mcp_config/platform_overrides/win32/command' } });
  });

  it('is medium when the program can start on none of the declared platforms', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-nowhere.dxt`);
    expect(findingsOf(bundle, RULE)).toEqual([
      expect.objectContaining({
        severity: 'medium',
        message:
          'server.mcp_config.command runs "server/acme-server" on win32 and linux, but it is a Mach-O 64-bit arm64 executable, which win32 and linux cannot start; the server can start on none of the platforms the manifest declares.',
        location: { file: 'manifest.json', pointer: COMMAND },
      }),
    ]);
  });

  it('says what a file that is not a program is, and names code for another processor', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-not-a-program.dxt`);
    expect(findingWith(bundle, RULE, '"server/acme-server" on linux, but it is a text file with no "#!" line, which no operating system starts as a program')).toMatchObject({
      severity: 'medium',
      location: { pointer: COMMAND },
    });
    expect(
      findingWith(bundle, RULE, '"server/acme-server-ppc" on darwin, but it is a Mach-O 32-bit PowerPC executable, code for a processor that darwin desktop machines do not have'),
    ).toMatchObject({ severity: 'medium', location: { pointer: '/server/mcp_config/platform_overrides/darwin/command' } });
  });

  it('reports a script as the program, and an entry point that is not a program, at low', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-script.dxt`);
    expect(findingsOf(bundle, RULE)).toHaveLength(2);
    expect(findingWith(bundle, RULE, 'runs "server/run-server.sh" on darwin and linux, a script for "/bin/bash" (its "#!" line), not a native program')).toMatchObject({
      severity: 'low',
      location: { pointer: COMMAND },
    });
    expect(
      findingWith(
        bundle,
        RULE,
        'server.entry_point names "server/README.md", a text file with no "#!" line, which none of the platforms the manifest declares (darwin and linux) starts as a program',
      ),
    ).toMatchObject({ severity: 'low', location: { pointer: '/server/entry_point' } });
  });

  it('says where the program starts when no platform is declared, and when the archive records no permissions', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-undeclared.dxt`);
    expect(findingsOf(bundle, RULE).map(({ severity }) => severity)).toEqual(['info', 'info']);
    expect(findingWith(bundle, RULE, 'a Mach-O 64-bit arm64 executable, which starts on darwin only; the manifest declares no platforms')).toMatchObject({
      location: { pointer: COMMAND },
    });
    expect(findingWith(bundle, RULE, 'runs "server/acme-server" on darwin, but the archive records no file permissions for it')).toMatchObject({
      location: { pointer: COMMAND },
    });
  });

  it('accepts a program per platform, including name.exe for a command written without its extension', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid.dxt`), RULE)).toEqual([]);
  });
});

describe(`${RULE} on hand-made bundles`, () => {
  const manifest = (server: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ server: { type: 'binary', ...server }, ...extra });
  const run = (files: Record<string, Uint8Array | string>, json: unknown) => runRule(rule, bundleFacts(files, json));

  it('is silent for servers of other types', () => {
    const json = { server: { type: 'node', entry_point: 'server/x', mcp_config: { command: '${__dirname}/server/x' } } };
    expect(run({ 'server/x': 'text' }, json)).toEqual([]);
  });

  it('reports a program cut short, medium when it is the only one', () => {
    const json = manifest({ entry_point: 'server/x', mcp_config: { command: '${__dirname}/server/x' } }, { compatibility: { platforms: ['linux'] } });
    const [finding] = run({ 'server/x': elfHeader({ bits: 64, little: true, type: 2, machine: 62 }).subarray(0, 12) }, json);
    expect(finding).toMatchObject({
      severity: 'medium',
      message:
        'server.mcp_config.command runs "server/x" on linux, but it starts like an ELF file whose header is cut short at 12 bytes, so it cannot be started; the server can start on none of the platforms the manifest declares.',
    });
  });

  it('takes the override keys as the intended platforms when compatibility names none', () => {
    const json = manifest({
      entry_point: 'server/x',
      mcp_config: { command: '${__dirname}/server/x', platform_overrides: { win32: { command: '${__dirname}/server/x-win.exe' } } },
    });
    const findings = run({ 'server/x': machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 2 }), 'server/x-win.exe': peImage({ machine: 0x8664, dll: true }) }, json);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'medium', location: { file: 'manifest.json', pointer: '/server/mcp_config/platform_overrides/win32/command' } }),
    ]);
    expect(findings[0]!.message).toContain('a Windows PE x86-64 DLL, which no loader starts as a program; the server can start on none of the platforms the manifest declares');
  });

  it('reports nothing but where it starts when nothing was declared, unless it starts nowhere', () => {
    const json = manifest({ entry_point: 'server/x', mcp_config: { command: '${__dirname}/server/x' } });
    const elf = elfHeader({ bits: 64, little: true, type: 2, machine: 62 });
    expect(run({ 'server/x': elf }, json).map(({ severity, message }) => [severity, message])).toEqual([
      ['info', 'server.mcp_config.command runs "server/x", an ELF 64-bit x86-64 executable, which starts on linux only; the manifest declares no platforms, so the extension can be installed where it cannot start.'],
    ]);
    const [nowhere] = run({ 'server/x': 'plain text' }, json);
    expect(nowhere).toMatchObject({ severity: 'medium' });
    expect(nowhere!.message).toContain('on darwin, win32 and linux, but it is a text file with no "#!" line, which no operating system starts as a program; the server can start on no platform.');
  });

  it('checks the entry point alone when the command is not a bundle path', () => {
    const json = manifest({ entry_point: 'server/index.js', mcp_config: { command: 'acme-server' } }, { compatibility: { platforms: ['darwin'] } });
    expect(run({ 'server/index.js': "require('./x');\n" }, json)).toEqual([
      expect.objectContaining({ severity: 'low', location: { file: 'manifest.json', pointer: '/server/entry_point' } }),
    ]);
    expect(run({ 'server/index.js': machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 2 }) }, json)).toEqual([]);
  });
});
