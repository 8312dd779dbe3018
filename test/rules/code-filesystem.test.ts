import { describe, expect, it } from 'vitest';
import rule from '../../rules/code-filesystem.js';
import type { CallSite } from '../../src/analysis/model/code-facts.js';
import type { Trigger } from '../../src/analysis/model/triggers.js';
import { runRuleOnCode } from '../helpers/bundle.js';
import { callSite } from '../helpers/facts.js';
import { declaredScope } from '../../rules/code-filesystem.js';
import { auditTargets } from '../../src/audit.js';
import { findingWith, findingsOf, repoPath, scanFixture } from '../helpers/fixtures.js';

it('reports tool paths used with no check against the declared workspace, by operation', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid');
  expect(findingWith(bundle, 'code-filesystem', 'fs.promises.readFile() reads a path taken from the input of tool "read_note" with no check against the directories the manifest declares (workspace): the model can read any file')).toMatchObject({
    severity: 'high',
    category: 'filesystem',
    tool: 'read_note',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 11, column: 22 },
    evidence: "fs.readFile(notePath, 'utf8')",
  });
  expect(findingWith(bundle, 'code-filesystem', 'fs.promises.rm() deletes a whole tree at a path taken from the input of tool "delete_folder"')).toMatchObject({ severity: 'high', location: { line: 16 } });
  expect(findingWith(bundle, 'code-filesystem', 'fs.promises.readdir() lists a path taken from the input of tool "list_notes"')).toMatchObject({ severity: 'medium' });
  // save_note writes where the user pointed the workspace; only its content comes from the model.
  expect(findingsOf(bundle, 'code-filesystem')).toHaveLength(3);
  expect(bundle.capabilities).toEqual(expect.arrayContaining(['fs-read', 'fs-write']));
  expect(bundle.connectorClass).toBe('execution');
});

it('reports a containment check without a separator, the shape of CVE-2025-53110, and trusts nothing else', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-bare-prefix');
  const [finding, ...others] = findingsOf(bundle, 'code-filesystem');
  expect(others).toEqual([]);
  expect(finding).toMatchObject({
    severity: 'high',
    tool: 'read_file',
    location: { file: 'server/index.js', line: 12, column: 54 },
    evidence: 'normalizedRequested.startsWith(dir)',
  });
  expect(finding!.message).toBe(
    'Path containment is checked with normalizedRequested.startsWith(dir), without a separator after the root: "/allowed_evil" passes a check for "/allowed" (the shape of CVE-2025-53110) in tool "read_file".',
  );
});

it('credits the check when the user granted the installed extension directories', async () => {
  const report = await auditTargets([
    { path: repoPath('fixtures/rules/code-filesystem/invalid-undeclared'), kind: 'directory', installation: { kind: 'extension', enabled: true, grantedPaths: ['/home/u/notes'], registry: null } },
  ]);
  const toolPaths = report.bundles[0]!.findings.filter((finding) => finding.ruleId === 'code-filesystem' && finding.message.includes('after a path check'));
  expect(toolPaths).toEqual([]);
});

it('keeps a checked tool path high when the manifest declares no directories, unless it is built on the bundle directory', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-undeclared');
  const [finding, ...others] = findingsOf(bundle, 'code-filesystem');
  expect(others).toEqual([]);
  expect(finding).toMatchObject({ severity: 'high', tool: 'write_file', location: { file: 'server/lib/files.js', line: 19 } });
  expect(finding!.message).toContain('writes to a path taken from the input of tool "write_file" after a path check, but the manifest declares no directories');
});

it('reports constant paths outside the declared scope, by what they change', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-outside');
  expect(findingWith(bundle, 'code-filesystem', 'fs.mkdirSync() creates a directory at a path under the home directory (".fixture-cache") as soon as the module is loaded')).toMatchObject({
    severity: 'medium',
    location: { line: 9 },
  });
  expect(findingWith(bundle, 'code-filesystem', 'fs.rmSync() deletes a whole tree at a path under the home directory (".fixture-cache") in tool "clear_cache"')).toMatchObject({ severity: 'medium', tool: 'clear_cache' });
  expect(findingWith(bundle, 'code-filesystem', 'fs.rmSync() deletes a whole tree at the home directory itself in tool "factory_reset"')).toMatchObject({ severity: 'high' });
  expect(findingWith(bundle, 'code-filesystem', 'fs.readdirSync() lists "/home" in tool "machine_info"')).toMatchObject({ severity: 'low' });
  expect(findingsOf(bundle, 'code-filesystem').map((finding) => finding.message).join('\n')).not.toContain('os-release');
});

it('trusts validatePath when the manifest declares the directories, and ignores temp files, bundle files and URLs', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/valid');
  expect(findingsOf(bundle, 'code-filesystem')).toEqual([]);
  expect(bundle.capabilities).toEqual(['fs-read', 'fs-write']);
  expect(bundle.complete).toBe(true);
});

it('reads the declared scope from user_config options that mcp_config passes', () => {
  const manifest = {
    server: { mcp_config: { command: 'node', args: ['${__dirname}/index.js', '${user_config.roots}', '${DOCUMENTS}'], env: { NOTES: '${user_config.notes_path}', TOKEN: '${user_config.token}' } } },
    user_config: {
      roots: { type: 'directory', multiple: true },
      notes_path: { type: 'string', title: 'Notes file' },
      token: { type: 'string', sensitive: true },
      unused: { type: 'directory' },
    },
  };
  expect(declaredScope(manifest)).toEqual(['${DOCUMENTS}', 'notes_path', 'roots']);
  expect(declaredScope({ server: { mcp_config: { command: 'node', args: [] } } })).toEqual([]);
});

it('reports Python tool paths used unchecked, a bare startswith check, and writes in the home directory', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-python');
  expect(findingWith(bundle, 'code-filesystem', 'builtins.open() reads a path taken from the input of tool "read_file": the model can read any file')).toMatchObject({
    severity: 'high',
    tool: 'read_file',
    origin: 'first-party',
    location: { file: 'server/main.py', line: 16, column: 10 },
    evidence: 'open(path, encoding="utf-8")',
  });
  // The prefix check without a separator is reported, and does not count as confinement.
  expect(findingWith(bundle, 'code-filesystem', 'Path containment is checked with real.startswith(ROOT), without a separator after the root')).toMatchObject({
    severity: 'high',
    tool: 'write_file',
    location: { line: 24, column: 12 },
  });
  // `Path(real).write_text(…)`: the pathlib method writes to the path the object was built from.
  expect(findingWith(bundle, 'code-filesystem', 'pathlib.Path.write_text() writes to a path taken from the input of tool "write_file"')).toMatchObject({ severity: 'high', location: { line: 26 } });
  expect(findingWith(bundle, 'code-filesystem', 'shutil.rmtree() deletes a whole tree at a path taken from the input of tool "remove_folder"')).toMatchObject({ severity: 'high', tool: 'remove_folder' });
  expect(findingWith(bundle, 'code-filesystem', 'os.listdir() lists a path taken from the input of tool "list_folder"')).toMatchObject({ severity: 'medium' });
  expect(findingWith(bundle, 'code-filesystem', 'shutil.rmtree() deletes a whole tree at the home directory itself in tool "clear_cache"')).toMatchObject({ severity: 'high' });
  expect(findingWith(bundle, 'code-filesystem', 'pathlib.Path.mkdir() creates a directory at a path under the home directory (".files-cache") as soon as the module is loaded')).toMatchObject({
    severity: 'medium',
    location: { line: 10 },
  });
  // `urlretrieve(url, filename)` writes the download where filename says.
  expect(findingWith(bundle, 'code-filesystem', 'urllib.request.urlretrieve() writes to a path taken from the input of tool "save_page"')).toMatchObject({ severity: 'high', location: { line: 57 } });
  expect(findingsOf(bundle, 'code-filesystem')).toHaveLength(8);
  expect(bundle.capabilities).toEqual(expect.arrayContaining(['fs-read', 'fs-write']));
});

it('credits is_relative_to, commonpath, a separator-terminated startswith and a validate_path helper in Python, and ignores temp, bundle and metadata calls', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/valid-python');
  expect(findingsOf(bundle, 'code-filesystem')).toEqual([]);
  // The tool paths are reached and read: silence comes from the checks, not from missing the calls.
  expect(bundle.capabilities).toEqual(['fs-read', 'fs-write']);
});

// Listener triggers are filled by reachability; until then these cases are built by hand.
it('judges a path from a listener\'s request by the operation and by whom the listener lets in', () => {
  const call = (callee: string, listener: Trigger) =>
    callSite({ callee, args: [{ labels: ['4#0'] }, { labels: [] }], excerpt: `${callee}(req.query.path, body)`, triggers: [listener], inputFrom: [listener], taintedArgs: [0] });
  const all: Trigger = { kind: 'listener', name: 'express route', bind: 'all' };
  expect(runRuleOnCode(rule, { calls: [call('fs.writeFileSync', all)] })[0]).toMatchObject({
    severity: 'critical',
    message:
      'fs.writeFileSync() writes to a path taken from a request to a network listener (express route, all interfaces): anyone who can reach this machine over the network can create or overwrite any file this user can write.',
    trigger: { kind: 'listener', bind: 'all' },
  });
  expect(runRuleOnCode(rule, { calls: [call('fs.writeFileSync', { ...all, bind: 'loopback' })] })[0]!.severity).toBe('high');
  expect(runRuleOnCode(rule, { calls: [call('fs.writeFileSync', { ...all, bind: 'unknown', checked: true })] })[0]!.severity).toBe('medium');
  expect(runRuleOnCode(rule, { calls: [call('fs.readFileSync', all)] })[0]!.severity).toBe('high');
  // A listener's input is no tool: no chain sink.
  expect(runRuleOnCode(rule, { calls: [call('fs.writeFileSync', all)] })[0]!.tool).toBeUndefined();
});

describe('helpers that confine what they return', () => {
  it.each([
    ['an ES module: resolve and a separator-terminated startsWith, path.relative, realpath', 'valid-helper-esm'],
    ['CommonJS, required whole or destructured, with the check stored in a variable', 'valid-helper-commonjs'],
    ['Python: realpath and startswith(root + os.sep), is_relative_to, relative_to in a try', 'valid-helper-python'],
  ])('credits %s at every call site', async (_, fixture) => {
    const bundle = await scanFixture(`fixtures/rules/code-filesystem/${fixture}`);
    expect(findingsOf(bundle, 'code-filesystem')).toEqual([]);
    // The tool paths are reached and read: silence comes from the helpers, not from missing the calls.
    expect(bundle.capabilities).toEqual(['fs-read', 'fs-write']);
  });

  it('keeps high a helper that checks without a separator, and one that returns the path on both branches', async () => {
    const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-helper-bare-prefix');
    expect(findingWith(bundle, 'code-filesystem', 'fs.promises.readFile() reads a path taken from the input of tool "read_note" with no check')).toMatchObject({
      severity: 'high',
      location: { file: 'server/index.mjs', line: 13 },
    });
    expect(findingWith(bundle, 'code-filesystem', 'fs.promises.writeFile() writes to a path taken from the input of tool "write_note" with no check')).toMatchObject({
      severity: 'high',
      location: { file: 'server/index.mjs', line: 17 },
    });
    expect(findingWith(bundle, 'code-filesystem', 'Path containment is checked with full.startsWith(root)')).toMatchObject({ severity: 'high', location: { file: 'server/lib/paths.mjs', line: 6 } });
    expect(findingsOf(bundle, 'code-filesystem')).toHaveLength(3);
  });

  it('keeps high a read that comes before the check, in the helper or in the tool', async () => {
    const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-helper-after-read');
    expect(findingWith(bundle, 'code-filesystem', 'fs.promises.readFile() reads a path taken from the input of tool "read_note" with no check')).toMatchObject({
      severity: 'high',
      location: { file: 'server/lib/paths.mjs', line: 7 },
    });
    expect(findingWith(bundle, 'code-filesystem', 'fs.promises.readFile() reads a path taken from the input of tool "peek_note" with no check')).toMatchObject({
      severity: 'high',
      location: { file: 'server/index.mjs', line: 17 },
    });
    expect(findingsOf(bundle, 'code-filesystem')).toHaveLength(2);
  });
});

it('reads express sendFile as a file read, and lists the server\'s own computed paths at info', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-sendfile');
  expect(findingWith(bundle, 'code-filesystem', 'res.sendFile() reads a path taken from a request to a network listener (express GET /file, all interfaces)')).toMatchObject({
    severity: 'high',
    location: { line: 10 },
    trigger: { kind: 'listener', bind: 'all' },
  });
  expect(findingWith(bundle, 'code-filesystem', 'fs.promises.readFile() reads a path computed at run time.')).toMatchObject({ severity: 'info', location: { line: 16 } });
  expect(findingsOf(bundle, 'code-filesystem')).toHaveLength(2);
});

it("takes a Django view's request as a network listener's input", async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-django-view');
  expect(findingWith(bundle, 'code-filesystem', 'builtins.open() reads a path taken from a request to a network listener (django view download, interfaces not known)')).toMatchObject({
    severity: 'medium',
    location: { file: 'server/views.py', line: 7 },
    trigger: { kind: 'listener', name: 'django view download', bind: 'unknown' },
  });
  expect(findingWith(bundle, 'code-filesystem', 'builtins.open() writes to a path taken from a request to a network listener (django view upload')).toMatchObject({ severity: 'high', location: { line: 11 } });
});

it('takes an Express handler written in one module and registered in another as a network listener', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-express-handler');
  expect(findingWith(bundle, 'code-filesystem', 'res.sendFile() reads a path taken from a request to a network listener (express handler (anonymous), interfaces not known)')).toMatchObject({
    severity: 'medium',
    location: { file: 'server/routes.js', line: 7 },
    trigger: { kind: 'listener', name: 'express handler (anonymous)', bind: 'unknown' },
  });
});

it('reports a download saved as a program high: named as one, or made executable or renamed to one just after, and not a chmod without an execute bit', async () => {
  const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-download-program');
  expect(findingWith(bundle, 'code-filesystem', 'builtins.open() saves data fetched over the network as a program (os.chmod() at line 17 makes it one) in tool "render"')).toMatchObject({
    severity: 'high',
    location: { line: 15 },
  });
  // `chmod +x` in a command, the nearest after the write: not the rename further down, another file's.
  expect(findingWith(bundle, 'code-filesystem', 'builtins.open() saves data fetched over the network as a program (os.system() at line 23 makes it one)')).toMatchObject({ severity: 'high', location: { line: 21 } });
  expect(findingWith(bundle, 'code-filesystem', 'urllib.request.urlretrieve() saves data fetched over the network as a program (os.rename() at line 28 makes it one)')).toMatchObject({ severity: 'high', location: { line: 27 } });
  // Node: written under a program's name.
  const write = callSite({ callee: 'fs.writeFileSync', args: [{ labels: [], literal: '/tmp/updater.exe' }, { labels: ['@network'] }], triggers: [{ kind: 'load', via: ['server/index.js'] }] });
  expect(runRuleOnCode(rule, { calls: [write] })[0]).toMatchObject({ severity: 'high', message: expect.stringContaining('(a file named as one)') });
  // A command's chmod +x of another file does not make a download under a constant name a program.
  const saved = callSite({ callee: 'fs.writeFileSync', line: 3, args: [{ labels: [], literal: '/tmp/notes.txt' }, { labels: ['@network'] }], triggers: [{ kind: 'load', via: ['server/index.js'] }] });
  const other = callSite({ callee: 'child_process.execSync', line: 5, args: [{ labels: [], prefix: 'chmod +x ' }], excerpt: 'execSync(`chmod +x ${tool}`)', triggers: [{ kind: 'load', via: ['server/index.js'] }] });
  expect(runRuleOnCode(rule, { calls: [saved, other] }).filter((finding) => finding.message.includes('as a program'))).toEqual([]);
  const same = callSite({ ...other, excerpt: 'execSync(`chmod +x /tmp/notes.txt`)' });
  expect(runRuleOnCode(rule, { calls: [saved, same] }).filter((finding) => finding.message.includes('as a program'))).toHaveLength(1);
});

describe('paths built from tool input and handed to code the analysis cannot follow', () => {
  it('reports the join at low, naming the tool, and not a join of a last segment', async () => {
    const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-path-handed-off');
    const [finding, ...others] = findingsOf(bundle, 'code-filesystem');
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ severity: 'low', tool: 'unpack', location: { file: 'server/index.js', line: 12 }, evidence: 'path.join(library, folder)' });
    expect(finding!.message).toBe(
      'path.join() builds a file path from the input of tool "unpack" with no check that it stays under its base directory, and no file operation the analysis can follow opens it: whatever does (a package, a caller outside the bundle) can be sent anywhere with "../".',
    );
  });

  it('reports os.path.join in Python, and not a join its function checks afterwards', async () => {
    const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-path-handed-off-python');
    const [finding, ...others] = findingsOf(bundle, 'code-filesystem');
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ severity: 'low', tool: 'export_report', location: { file: 'server/main.py', line: 15 } });
  });

  it('leaves a join alone when its tool opens paths where code-filesystem judges the open', () => {
    const join = callSite({ callee: 'path.join', taintedBy: ['t'], taintedArgs: [1], args: [{ labels: [] }, { labels: ['1#0'] }], tools: ['t'] });
    const open = callSite({ callee: 'fs.promises.readFile', taintedBy: ['t'], taintedArgs: [0], args: [{ labels: ['1#0'] }], tools: ['t'] });
    const other = callSite({ callee: 'fs.promises.readFile', taintedBy: ['u'], taintedArgs: [0], args: [{ labels: ['2#0'] }], tools: ['u'] });
    const handedOff = (calls: CallSite[]) => runRuleOnCode(rule, { calls }).filter((finding) => finding.message.includes('builds a file path'));
    expect(handedOff([join, open])).toEqual([]);
    expect(handedOff([join, other])).toHaveLength(1);
    expect(handedOff([{ ...join, checkedAfter: true }, other])).toEqual([]);
    expect(handedOff([{ ...join, checkedArgs: [1] }])).toEqual([]);
  });
});

describe('XML parsers that substitute external entities', () => {
  it('reports a document from tool input high, and the defaults not at all', async () => {
    const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-xml-entities');
    const [finding, ...others] = findingsOf(bundle, 'code-filesystem');
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ severity: 'high', tool: 'import_feed', location: { file: 'server/index.js', line: 9 } });
    expect(finding!.message).toBe(
      'libxmljs.parseXml() parses XML from the input of tool "import_feed" with external entities substituted (noent: true): the model can name any file this user can read (an SSH key, a token file) in the document and have it read in.',
    );
  });

  it('reports an lxml parser made to resolve entities where it is made, and not one made not to', async () => {
    const bundle = await scanFixture('fixtures/rules/code-filesystem/invalid-xml-entities-python');
    const [finding, ...others] = findingsOf(bundle, 'code-filesystem');
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ severity: 'medium', location: { file: 'server/main.py', line: 7 } });
    expect(finding!.message).toMatch(/^lxml\.etree\.XMLParser\(\) makes an XML parser that substitutes external entities \(resolve_entities=True\)/);
  });
});
