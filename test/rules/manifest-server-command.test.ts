import { describe, expect, it } from 'vitest';
import { fitsInterpreter } from '../../rules/manifest-server-command.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-server-command';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('flags a shell as the command as high', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toEqual([
      expect.objectContaining({ severity: 'high', location: { file: 'manifest.json', pointer: '/server/mcp_config/command' } }),
    ]);
    expect(findingsOf(bundle, RULE)[0]!.message).toContain('runs the shell "bash"');
  });

  it('flags another interpreter (medium) and a fixed interpreter path in an override (low)', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-interpreter`);
    expect(findingWith(bundle, RULE, 'server.type is "node" but server.mcp_config.command is "python3"')).toMatchObject({
      severity: 'medium',
      location: { pointer: '/server/mcp_config/command' },
    });
    expect(findingWith(bundle, RULE, 'fixed path "/opt/homebrew/bin/node"')).toMatchObject({
      severity: 'low',
      location: { pointer: '/server/mcp_config/platform_overrides/darwin/command' },
    });
  });

  it('checks that a binary server runs an executable file of the bundle', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-binary`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, '"tool.exe" is not a program in the bundle')).toMatchObject({
      severity: 'medium',
      location: { pointer: '/server/mcp_config/platform_overrides/win32/command' },
    });
    expect(findingWith(bundle, RULE, '"server/bin/tool-linux", which is not in the bundle')).toMatchObject({
      severity: 'medium',
      location: { pointer: '/server/mcp_config/platform_overrides/linux/command' },
    });
    expect(findingWith(bundle, RULE, '"server/bin/tool", which lacks the executable permission')).toMatchObject({
      severity: 'low',
      location: { pointer: '/server/mcp_config/command' },
    });
  });

  it('accepts an executable bundled binary, a Windows .exe without mode bits, and python3/py for python', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
    expect(findingsOf(await scanFixture(`${DIR}/valid-python`), RULE)).toEqual([]);
  });
});

describe('fitsInterpreter', () => {
  it.each([
    ['node', 'node', true],
    ['node', 'node.exe', true],
    ['node', '/usr/local/bin/node', true],
    ['node', 'C:\\Program Files\\nodejs\\node.exe', true],
    ['node', 'deno', false],
    ['node', 'python3', false],
    ['python', 'python', true],
    ['python', 'python3', true],
    ['python', 'python3.12', true],
    ['python', 'py', true],
    ['python', 'uv', true],
    ['python', 'node', false],
    ['uv', 'uv', true],
    ['uv', 'uv.exe', true],
    ['uv', 'python3', false],
    ['uv', 'uvx', false],
  ] as const)('%s server with command %s: %s', (type, command, expected) => {
    expect(fitsInterpreter(type, command)).toBe(expected);
  });

  it('knows nothing of binary or unknown types (they are judged by path, or by the schema)', () => {
    expect(fitsInterpreter('binary', 'node')).toBeUndefined();
    expect(fitsInterpreter('constructor', 'node')).toBeUndefined();
  });
});
