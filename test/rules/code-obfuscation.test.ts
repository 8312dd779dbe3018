import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('is critical when a module name assembled from pieces is then given tool input, high otherwise', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid');
  expect(
    findingWith(bundle, 'code-obfuscation', 'require() loads "child_process" through a name assembled from pieces, so that a search of the code does not find it, and the input of tool "format_note" reaches child_process.exec()'),
  ).toMatchObject({ severity: 'critical', category: 'obfuscation', origin: 'first-party', location: { file: 'server/index.js', line: 4, column: 16 } });
  expect(findingWith(bundle, 'code-obfuscation', 'require() loads "fs" through a name assembled from pieces')).toMatchObject({
    severity: 'high',
    location: { file: 'server/index.js', line: 5 },
    evidence: "require('f' + 's')",
  });
  expect(findingWith(bundle, 'code-obfuscation', 'fs.writeFileSync() is called through a property name spelled in pieces, encoded or looked up reflectively')).toMatchObject({
    severity: 'high',
    tool: 'save_note',
    location: { file: 'server/index.js', line: 15 },
  });
  expect(findingsOf(bundle, 'code-obfuscation')).toHaveLength(3);
});

it('is critical when a sensitive name is decoded from hex, char codes or escapes', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-encoded');
  expect(findingWith(bundle, 'code-obfuscation', 'require() loads "child_process" through a name decoded at run time from an encoded form')).toMatchObject({
    severity: 'critical',
    location: { file: 'server/index.js', line: 4 },
  });
  expect(findingWith(bundle, 'code-obfuscation', 'require() loads "os" through a name decoded')).toMatchObject({ severity: 'critical', location: { line: 5 } });
  expect(findingWith(bundle, 'code-obfuscation', 'eval() is called through a property name spelled in pieces, encoded or looked up reflectively, so that a search of the code does not find it, and the input of tool "forecast" reaches eval()')).toMatchObject({
    severity: 'critical',
    tool: 'forecast',
    location: { line: 9 },
  });
});

it('reports a blob decoded in its file at medium and a long blob nobody decodes at low', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-blob');
  expect(findingWith(bundle, 'code-obfuscation', 'base64 string of random-looking data, 800 characters long (5.9 bits per character), decoded at run time in the same file')).toMatchObject({
    severity: 'medium',
    location: { file: 'server/index.js', line: 4, column: 17 },
    evidence: expect.stringMatching(/^PAYLOAD = '[A-Za-z0-9+/]{60}…'$/),
  });
  const table = findingWith(bundle, 'code-obfuscation', 'base64 string of random-looking data, 1200 characters long');
  expect(table).toMatchObject({ severity: 'low', location: { file: 'server/table.js', line: 2 } });
  expect(table.message).not.toContain('decoded');
});

it('ignores split messages, innocuous assembled names, embedded images, well-known primes and blobs in dependencies', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/valid');
  expect(findingsOf(bundle, 'code-obfuscation')).toEqual([]);
});

it('reads Python names assembled for getattr and importlib: critical when tool input reaches the hidden call', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-python');
  expect(findingWith(bundle, 'code-obfuscation', 'os.system() is called through a property name spelled in pieces, encoded or looked up reflectively, so that a search of the code does not find it, and the input of tool "tidy" reaches os.system().')).toMatchObject({
    severity: 'critical',
    tool: 'tidy',
    location: { file: 'server/main.py', line: 13, column: 16 },
    evidence: 'getattr(os, "sys" + "tem")(command)',
  });
  expect(findingWith(bundle, 'code-obfuscation', 'importlib.import_module() loads "subprocess" through a name assembled from pieces')).toMatchObject({ severity: 'high', location: { line: 7 } });
  expect(findingsOf(bundle, 'code-obfuscation')).toHaveLength(2);
  // The hidden call is still the shell call it stands for.
  expect(findingWith(bundle, 'code-shell-exec', 'os.system() runs a shell command built from the input of tool "tidy"')).toMatchObject({ severity: 'critical' });
});

it('ignores Python getattr on a class, literal names, an innocuous module assembled and a long message split', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/valid-python');
  expect(findingsOf(bundle, 'code-obfuscation')).toEqual([]);
});

it('sees through Reflect, property descriptors, searched keys and forwarded calls, through a variable too', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-reflective');
  const hidden = (api: string, then = '') => `${api} is called through a property name spelled in pieces, encoded or looked up reflectively, so that a search of the code does not find it${then}.`;
  expect(findingWith(bundle, 'code-obfuscation', hidden('child_process.execSync()', ', and the input of tool "status" reaches child_process.execSync()'))).toMatchObject({ severity: 'critical', location: { line: 12 } });
  expect(findingWith(bundle, 'code-obfuscation', hidden('child_process.spawn()'))).toMatchObject({ severity: 'high', location: { line: 16 } });
  expect(findingWith(bundle, 'code-obfuscation', hidden('child_process.exec()'))).toMatchObject({ severity: 'high', location: { line: 17 } });
  expect(findingWith(bundle, 'code-obfuscation', hidden('child_process.execFile()'))).toMatchObject({ severity: 'high', location: { line: 18 } });
  expect(findingsOf(bundle, 'code-obfuscation')).toHaveLength(4);
  // The forwarded call is judged on the arguments it really receives.
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execSync() runs a shell command built from the input of tool "status": the model can run any command on this machine.')).toMatchObject({ severity: 'critical' });
  expect(findingsOf(bundle, 'code-shell-exec').find((finding) => 'line' in finding.location && finding.location.line === 16)).toMatchObject({ severity: 'high' });
});

it('ignores call, apply and Reflect on the server\'s own harmless objects', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/valid-reflective');
  expect(findingsOf(bundle, 'code-obfuscation')).toEqual([]);
  expect(findingsOf(bundle, 'code-shell-exec')).toEqual([]);
});

it('sees through Python __import__, vars(), __dict__ and __getattribute__', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-python-reflective');
  const hidden = (api: string, then = '') => `${api} is called through a property name spelled in pieces, encoded or looked up reflectively, so that a search of the code does not find it${then}.`;
  expect(findingWith(bundle, 'code-obfuscation', hidden('os.popen()', ', and the input of tool "status" reaches os.popen()'))).toMatchObject({ severity: 'critical', location: { line: 12 } });
  expect(findingWith(bundle, 'code-obfuscation', hidden('os.system()', ', and the input of tool "clean" reaches os.system()'))).toMatchObject({ severity: 'critical', location: { line: 18 } });
  expect(findingWith(bundle, 'code-obfuscation', hidden('builtins.exec()'))).toMatchObject({ severity: 'high', location: { line: 6 } });
  expect(findingWith(bundle, 'code-obfuscation', hidden('subprocess.check_output()'))).toMatchObject({ severity: 'high', location: { line: 25 } });
  // `__builtins__.getattr(builtins, …)`: getattr through the builtins module, on builtins used without an import.
  expect(findingWith(bundle, 'code-obfuscation', hidden('builtins.eval()', ', and the input of tool "evaluate" reaches builtins.eval()'))).toMatchObject({ severity: 'critical', location: { line: 33 } });
  expect(findingsOf(bundle, 'code-obfuscation')).toHaveLength(5);
  expect(findingWith(bundle, 'code-shell-exec', 'os.system() runs a shell command built from the input of tool "clean": the model can run any command on this machine.')).toMatchObject({ severity: 'critical' });
});

it('reports bidi controls and invisible characters in first-party code (Trojan Source)', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-trojan-source');
  expect(findingWith(bundle, 'code-obfuscation', 'The code holds zero-width or other invisible characters (2), bidi override, embedding or isolate controls (4), invisible on screen')).toMatchObject({
    severity: 'high',
    location: { file: 'server/index.js', line: 9, column: 20 },
  });
  expect(findingsOf(bundle, 'code-obfuscation')).toHaveLength(1);
});

it('leaves emoji sequences, right-to-left text with its marks and a byte-order mark alone', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/valid-unicode');
  expect(findingsOf(bundle, 'code-obfuscation')).toEqual([]);
});

it('reads Python names in mathematical letters as Python does, and reports the letters', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-python-disguised');
  expect(findingWith(bundle, 'code-obfuscation', 'The code spells names in mathematical look-alike letters')).toMatchObject({ severity: 'high', location: { file: 'server/main.py', line: 10 } });
  expect(findingWith(bundle, 'code-shell-exec', 'subprocess.getoutput() runs a shell command built from the input of tool "check"')).toMatchObject({ severity: 'critical' });
});

it('reads names through an obfuscator\'s string table, after evaluating the rotation that shuffles it at load', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-string-table');
  expect(findingWith(bundle, 'code-obfuscation', 'require() loads "child_process" through a name decoded at run time from an encoded form, so that a search of the code does not find it, and the input of tool "tidy" reaches')).toMatchObject({
    severity: 'critical',
    tool: 'tidy',
    location: { file: 'server/index.js', line: 36 },
  });
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execSync() runs a shell command built from the input of tool "tidy"')).toMatchObject({ severity: 'critical', location: { line: 36 } });
  // The older shape: a plain table rotated by a counted loop, read by index.
  expect(findingWith(bundle, 'code-obfuscation', 'require() loads "os" through a name decoded at run time')).toMatchObject({ severity: 'critical', location: { line: 48 } });
  expect(findingWith(bundle, 'code-obfuscation', 'os.homedir() is called through a property name spelled in pieces')).toMatchObject({ severity: 'high', location: { line: 48 } });
});

it('treats arrays of strings read by index as plain constants, and does not fold a table the code changes', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/valid-string-table');
  expect(findingsOf(bundle, 'code-obfuscation')).toEqual([]);
});

it("folds Python's standard decoders over constants: EBCDIC and other codecs, rot13, hex, reversal, and a hidden member kept under a variable", async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-python-decoders');
  expect(findingWith(bundle, 'code-obfuscation', 'importlib.import_module() loads "socket" through a name decoded at run time')).toMatchObject({ severity: 'critical', location: { line: 11 } });
  expect(findingWith(bundle, 'code-obfuscation', 'builtins.__import__() loads "os" through a name decoded at run time')).toMatchObject({ severity: 'critical', location: { line: 12 } });
  expect(findingWith(bundle, 'code-obfuscation', 'importlib.import_module() loads "subprocess" through a name decoded at run time')).toMatchObject({ severity: 'critical', location: { line: 13 } });
  expect(findingWith(bundle, 'code-obfuscation', 'builtins.eval() is called through a property name spelled in pieces, encoded or looked up reflectively')).toMatchObject({
    severity: 'critical',
    location: { line: 19 },
    tool: 'format_text',
  });
});

it("reads Node's other loaders as require, with names percent-encoded, given as bytes or assembled", async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-hidden-loaders');
  expect(findingWith(bundle, 'code-obfuscation', 'require() loads "child_process" through a name assembled from pieces')).toMatchObject({ severity: 'critical', location: { line: 5 } });
  expect(findingsOf(bundle, 'code-obfuscation').filter((finding) => finding.message.includes('through a name decoded at run time')).map((finding) => 'line' in finding.location && finding.location.line)).toEqual([6, 7]);
  // What they load is child_process: its calls are judged as such.
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.execSync() runs a shell command built from the input of tool "lint"')).toMatchObject({ severity: 'critical' });
  expect(findingWith(bundle, 'code-shell-exec', 'child_process.spawn() starts "eslint"')).toBeDefined();
});

it("reports the bundle's own decoders turning constants into names and addresses, once per decoder, with what they yield", async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-local-decoder');
  expect(findingWith(bundle, 'code-obfuscation', 'The code decodes constants with its own function unhex() at run time, into "http", "os", "https"')).toMatchObject({ severity: 'high', location: { line: 9 } });
  expect(findingWith(bundle, 'code-obfuscation', 'its own function shifted() at run time, into "https://collect.datehelper.io/v1", "fetch"')).toMatchObject({ severity: 'high', location: { line: 22 } });
  // What they yield is folded where it is used: a hidden module, a hidden callee.
  expect(findingWith(bundle, 'code-obfuscation', 'require() loads "https" through a name decoded at run time')).toMatchObject({ severity: 'critical', location: { line: 10 } });
  expect(findingWith(bundle, 'code-obfuscation', 'fetch() is called through a property name')).toMatchObject({ location: { line: 23 } });
});

it('says nothing of decoders that yield plain words', async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/valid-local-decoder');
  expect(findingsOf(bundle, 'code-obfuscation')).toEqual([]);
});

it("reports a sensitive module's function called with its name as a plain string in brackets low, in the server's own code only", async () => {
  const bundle = await scanFixture('fixtures/rules/code-obfuscation/invalid-bracketed');
  expect(findingWith(bundle, 'code-obfuscation', "os.hostname() is called as os['hostname'], its name a string in brackets where a dot would do")).toMatchObject({ severity: 'low', location: { line: 9 } });
  // Forwarded with .call: still the call of os.userInfo.
  expect(findingWith(bundle, 'code-obfuscation', "os.userInfo() is called as os['userInfo']")).toMatchObject({ severity: 'low', location: { line: 10 } });
  expect(findingWith(bundle, 'code-obfuscation', "child_process.execSync() is called as cp['execSync']")).toMatchObject({ severity: 'low', location: { line: 11 } });
  expect(findingsOf(bundle, 'code-obfuscation')).toHaveLength(3);
  // Keys a dot cannot read, modules nobody hides, the server's own tables and a dependency's style are not.
  expect(findingsOf(await scanFixture('fixtures/rules/code-obfuscation/valid-bracketed'), 'code-obfuscation')).toEqual([]);
});

it("reports a first-party file an obfuscator wrote whole, medium, once per file: javascript-obfuscator's hex names, PyArmor's runtime", async () => {
  const packed = await scanFixture('fixtures/rules/code-obfuscation/invalid-packed');
  expect(findingWith(packed, 'code-obfuscation', 'This file is the output of javascript-obfuscator (names such as _0x3c1d, _0x52a1e0, _0x1f0b77)')).toMatchObject({
    severity: 'medium',
    location: { file: 'server/telemetry.js', line: 2 },
  });
  const armored = await scanFixture('fixtures/rules/code-obfuscation/invalid-python-pyarmor');
  expect(findingWith(armored, 'code-obfuscation', 'This file is the output of PyArmor (from .pyarmor_runtime_000000 import __pyarmor__)')).toMatchObject({
    severity: 'medium',
    location: { file: 'server/licensing/check.py', line: 2 },
  });
  expect(findingsOf(armored, 'code-obfuscation')).toHaveLength(1);
  // Hex literals, names containing _0x, a few placeholders; PyArmor named in comments, strings and function names.
  expect(findingsOf(await scanFixture('fixtures/rules/code-obfuscation/valid-packed'), 'code-obfuscation')).toEqual([]);
  expect(findingsOf(await scanFixture('fixtures/rules/code-obfuscation/valid-python-pyarmor'), 'code-obfuscation')).toEqual([]);
});
