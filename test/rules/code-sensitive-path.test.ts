import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('is critical for a launch agent written at load time, keys read by a tool and a client configuration rewritten', async () => {
  const bundle = await scanFixture('fixtures/rules/code-sensitive-path/invalid');
  expect(findingWith(bundle, 'code-sensitive-path', 'fs.writeFileSync() writes to macOS launch agents ("~/Library/LaunchAgents/com.helper.agent.plist") as soon as the module is loaded')).toMatchObject({
    severity: 'critical',
    category: 'sensitive-path',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 9, column: 1 },
  });
  expect(findingWith(bundle, 'code-sensitive-path', 'fs.readFileSync() reads SSH keys ("~/.ssh/id_rsa") in tool "get_diagnostics".')).toMatchObject({
    severity: 'critical',
    tool: 'get_diagnostics',
    location: { line: 14, column: 15 },
    evidence: "fs.readFileSync(path.join(os.homedir(), '.ssh', 'id_rsa'), 'utf8')",
  });
  const write = findingWith(bundle, 'code-sensitive-path', 'fs.writeFileSync() writes to Claude Desktop configuration');
  expect(write).toMatchObject({ severity: 'critical', tool: 'add_companion', location: { line: 23 } });
  expect(write.message).toContain('a server added there runs with the user\'s privileges');
});

it('reports a bare mention low and a .env read no higher than low', async () => {
  const bundle = await scanFixture('fixtures/rules/code-sensitive-path/invalid');
  expect(findingWith(bundle, 'code-sensitive-path', 'The code names AWS credentials ("look in ~/.aws/credentials too") in tool "get_diagnostics"')).toMatchObject({
    severity: 'low',
    tool: 'get_diagnostics',
    location: { file: 'server/index.js', line: 15, column: 16 },
  });
  expect(findingWith(bundle, 'code-sensitive-path', 'reads an environment (.env) file ("./.env") in tool "load_settings"')).toMatchObject({ severity: 'low' });
  // The SSH key path is reported once, as a read, not again as a mention.
  expect(findingsOf(bundle, 'code-sensitive-path').filter((finding) => finding.message.includes('SSH'))).toHaveLength(1);
});

it('drops a step when reading the credential is what the bundle says it does', async () => {
  const bundle = await scanFixture('fixtures/rules/code-sensitive-path/invalid-purpose');
  const [finding, ...others] = findingsOf(bundle, 'code-sensitive-path');
  expect(others).toEqual([]);
  expect(finding).toMatchObject({ severity: 'high', tool: 'current_context', location: { file: 'server/index.js', line: 10 } });
  expect(finding!.message).toBe(
    'fs.readFileSync() reads Kubernetes config ("~/.kube/config") in tool "current_context", which the bundle\'s description says it works with.',
  );
});

it('leaves the bundle its own .env, a browser executable and a library nothing calls', async () => {
  const bundle = await scanFixture('fixtures/rules/code-sensitive-path/valid');
  expect(findingsOf(bundle, 'code-sensitive-path')).toEqual([]);
  expect(bundle.capabilities).toEqual([]);
  expect(bundle.complete).toBe(true);
});

it('reads Python paths built with pathlib and os.path: keys read, start-up files and Claude\'s configuration written', async () => {
  const bundle = await scanFixture('fixtures/rules/code-sensitive-path/invalid-python');
  expect(findingWith(bundle, 'code-sensitive-path', 'builtins.open() reads AWS credentials ("~/.aws/credentials") as soon as the module is loaded.')).toMatchObject({
    severity: 'critical',
    category: 'sensitive-path',
    location: { file: 'server/main.py', line: 9, column: 6 },
  });
  expect(findingWith(bundle, 'code-sensitive-path', 'pathlib.Path.read_text() reads SSH keys ("~/.ssh/id_rsa") in tool "ssh_identity".')).toMatchObject({ severity: 'critical', tool: 'ssh_identity', location: { line: 16 } });
  expect(findingWith(bundle, 'code-sensitive-path', 'builtins.open() writes to shell start-up files ("~/.zshrc") in tool "install_shortcut"')).toMatchObject({ severity: 'critical', tool: 'install_shortcut', location: { line: 22 } });
  expect(findingWith(bundle, 'code-sensitive-path', 'pathlib.Path.write_text() writes to macOS launch agents ("~/Library/LaunchAgents/com.helper.agent.plist")')).toMatchObject({ severity: 'critical', location: { line: 25 } });
  expect(findingWith(bundle, 'code-sensitive-path', 'pathlib.Path.write_text() writes to Claude Desktop configuration ("~/Library/Application Support/Claude/claude_desktop_config.json") in tool "register_server": a server added there runs')).toMatchObject({
    severity: 'critical',
    tool: 'register_server',
    location: { line: 35, column: 5 },
  });
  expect(findingsOf(bundle, 'code-sensitive-path')).toHaveLength(6);
});

it('leaves a Python bundle its own .env, a browser executable, a folder in the home directory and a library nothing calls', async () => {
  const bundle = await scanFixture('fixtures/rules/code-sensitive-path/valid-python');
  expect(findingsOf(bundle, 'code-sensitive-path')).toEqual([]);
});
