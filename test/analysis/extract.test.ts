import { describe, expect, it } from 'vitest';
import { callsThrough, onlyThrough, wrapLabel, type CallFact } from '../../src/analysis/model/file-facts.js';
import { extractFacts } from '../../src/analysis/js/extract.js';

const callTo = (source: string, callee: string): CallFact => {
  const call = extractFacts('index.js', source).calls.find((candidate) => candidate.callee === callee);
  if (!call) throw new Error(`no call to ${callee}`);
  return call;
};

describe('sources of values', () => {
  it.each([
    ['fetch(url, { body: JSON.stringify(process.env) })', 'fetch', 1, '@env-all'],
    ['const env = { ...process.env }; fetch(url, { body: env })', 'fetch', 1, '@env-all'],
    ['fetch(url, { headers: { key: process.env.API_KEY } })', 'fetch', 1, '@env'],
    ['const name = "HOME"; fetch(process.env[name])', 'fetch', 0, '@env'],
    ["const fs = require('fs'); const data = fs.readFileSync(p); fetch(url, { body: data })", 'fetch', 1, '@file'],
    ["import { readFile } from 'node:fs/promises'; const text = await readFile(p); fetch(u, { body: text })", 'fetch', 1, '@file'],
    ["const os = require('os'); const fs = require('fs'); fs.readFileSync(os.homedir() + '/.ssh/id_rsa')", 'fs.readFileSync', 0, '@home'],
    ["const path = require('path'); const fs = require('fs'); fs.readFileSync(path.join(__dirname, 'x'))", 'fs.readFileSync', 0, '@bundle-dir'],
    ["const fs = require('fs'); fs.readFileSync(new URL('x', import.meta.url))", 'fs.readFileSync', 0, '@bundle-dir'],
    ["const fs = require('fs'); fs.readdirSync(process.argv[2])", 'fs.readdirSync', 0, '@argv'],
    ["const res = await fetch(u); const code = await res.text(); eval(code)", 'eval', 0, '@network'],
    ["const code = Buffer.from(payload, 'base64').toString(); eval(code)", 'eval', 0, '@decoded'],
  ])('%s: argument %#', (source, callee, position, label) => {
    expect(callTo(source, callee).args[position]!.labels).toContain(label);
  });

  it('keeps tool-parameter labels next to sources', () => {
    const call = callTo("const fs = require('fs'); function read(p) { return fs.readFileSync(p + process.env.SUFFIX); }", 'fs.readFileSync');
    expect(call.args[0]!.labels).toEqual(expect.arrayContaining(['@env', expect.stringMatching(/#0$/)]));
  });

  it('does not label a local variable that shadows nothing', () => {
    expect(callTo('const dir = "/tmp"; fetch(dir)', 'fetch').args[0]!.labels).toEqual([]);
  });

  it("passes a function's assignment outward only for a variable it does not declare itself", () => {
    const fetched = (source: string) => {
      const facts = extractFacts('index.js', source);
      const id = facts.functions.find((fn) => fn.name === 'set')!.id;
      return { labels: facts.calls.find((call) => call.callee === 'fetch')!.args[0]!.labels, param: `${id}#0` };
    };
    // The module's `d`, assigned by set(): what get() sends is set()'s input.
    const outer = fetched('let d; function set(p) { d = p; } function get() { fetch(d); }');
    expect(outer.labels).toContain(outer.param);
    // set() declares its own `d`, with or without a value: the module's `d` never holds its input.
    for (const declaration of ['let d;', 'var d, e;', 'let [d] = [];', 'if (p) { var d; }']) {
      const own = fetched(`let d; function set(p) { ${declaration} d = p; } function get() { fetch(d); }`);
      expect(own.labels).not.toContain(own.param);
    }
  });

  it("reads a variable a function declares for itself as its own, not as the one further out of the same name", () => {
    const body = (inside: string) => callTo(`const e = process.env; function f(u) { ${inside} fetch(u, { body: e }); }`, 'fetch').args[1]!.labels;
    expect(body('')).toContain('@env-all');
    for (const declaration of ["const e = 'x';", 'let e;', 'var e;', 'if (u) { var e; }', 'let [e] = [];']) expect(body(declaration)).not.toContain('@env-all');
    // A declaration in a nested block, or in a nested function, is not this function's.
    expect(body('if (u) { let e; }')).toContain('@env-all');
    expect(body('const g = () => { let e; };')).toContain('@env-all');
    // Nor is what the outer variable is: its constant, or the strings it is built from.
    const command = (inside: string) => callTo(`const cp = require('child_process'); const cmd = 'rm -rf ' + '/'; function f() { ${inside} cp.exec(cmd); }`, 'child_process.exec').args[0]!;
    expect(command('')).toMatchObject({ literal: 'rm -rf /' });
    expect(command('let cmd;')).not.toHaveProperty('literal');
    expect(command('let cmd;')).not.toHaveProperty('parts');
  });
});

describe("Node's loaders under other names, and percent and byte decoding", () => {
  it.each([
    "module.require('child_process').exec(x)",
    "process.mainModule.require('child_process').exec(x)",
    "require.main.require('child_process').exec(x)",
    "module.constructor._load('child_process').exec(x)",
    "require('module')._load('child_process').exec(x)",
    "require('node:module').Module._load('child_process').exec(x)",
    "require(decodeURIComponent('%63hild_process')).exec(x)",
    "require(Buffer.from([99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115]).toString()).exec(x)",
    "require(String.fromCodePoint(99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115)).exec(x)",
  ])('%s', (source) => {
    expect(callTo(source, 'child_process.exec').args[0]!.labels).toEqual([]);
  });

  it('leaves other methods named require or _load alone, and marks only decoded letters as encoded', () => {
    expect(() => callTo("loader.require('child_process').exec(x)", 'child_process.exec')).toThrow();
    expect(callTo("fetch(decodeURIComponent('%2Fapi%2Fv1'))", 'fetch').args[0]).toMatchObject({ literal: '/api/v1' });
    expect(callTo("fetch(decodeURIComponent('%2Fapi%2Fv1'))", 'fetch').args[0]!.encoded).toBeUndefined();
    expect(callTo("fetch(decodeURIComponent('%65val'))", 'fetch').args[0]).toMatchObject({ literal: 'eval', encoded: true });
  });
});

describe('the constants a value is built from', () => {
  it('leaves out the keys it is read under: property names are no variables, literal keys no parts', () => {
    const parts = (source: string) => callTo(`const url = '//cdn'; const path = '/etc'; ${source}`, 'fetch').args[0]!.parts;
    expect(parts('function f(req) { fetch(req.body.url); }')).toBeUndefined();
    expect(parts("function f(req) { fetch(req.body['path']); }")).toBeUndefined();
    expect(parts('function f(req) { fetch({ url: req.q }); }')).toBeUndefined();
    // The variables themselves still count.
    expect(parts('function f(req) { fetch(url + req.q); }')).toEqual(['//cdn']);
  });
});

describe('lookups in tables of constants', () => {
  it('takes what a key picks out of a table of constants as one of them, not as the key', () => {
    const run = (source: string) => callTo(`const cp = require('child_process'); ${source}`, 'child_process.execFile').args[0]!.labels;
    expect(run("const TOOLS = { lint: 'eslint', fmt: 'prettier' }; function go(which) { cp.execFile(TOOLS[which], ['.']); }")).toEqual([]);
    expect(run("const TOOLS = Object.freeze({ lint: { bin: 'eslint' } }); function go(which) { const program = TOOLS[which].bin; cp.execFile(program); }")).toEqual([]);
    expect(run("const LIST = ['git', 'hg']; function go(i) { cp.execFile(LIST[i]); }")).toEqual([]);
  });

  it('keeps the key when the table holds anything but constants, is declared again, or is assigned after', () => {
    const run = (source: string) => callTo(`const cp = require('child_process'); ${source}`, 'child_process.execFile').args[0]!.labels;
    expect(run("const TOOLS = { lint: process.env.LINTER }; function go(which) { cp.execFile(TOOLS[which]); }")).toEqual(expect.arrayContaining([expect.stringMatching(/#0$/)]));
    expect(run("let TOOLS = { lint: 'eslint' }; TOOLS = loadTools(); function go(which) { cp.execFile(TOOLS[which]); }")).toEqual(expect.arrayContaining([expect.stringMatching(/#0$/)]));
    // A parameter of that name is no table.
    expect(run("const TOOLS = { lint: 'eslint' }; function go(TOOLS, which) { cp.execFile(TOOLS[which]); }")).toHaveLength(2);
  });
});

describe('strings assembled to hide a name', () => {
  it.each([
    ["require('child_' + 'process').exec(x)", 'child_process.exec'],
    ['require(String.fromCharCode(99,104,105,108,100,95,112,114,111,99,101,115,115)).exec(x)', 'child_process.exec'],
    ["require(['child', 'process'].join('_')).exec(x)", 'child_process.exec'],
    ["require('ssecorp_dlihc'.split('').reverse().join('')).exec(x)", 'child_process.exec'],
    ["require(atob('Y2hpbGRfcHJvY2Vzcw==')).exec(x)", 'child_process.exec'],
    ["require(Buffer.from('6368696c645f70726f63657373', 'hex').toString()).exec(x)", 'child_process.exec'],
  ])('%s binds to %s', (source, callee) => {
    const facts = extractFacts('index.js', source);
    expect(facts.calls.map((call) => call.callee)).toContain(callee);
    expect(facts.calls.find((call) => call.callee === 'require')!.args[0]).toMatchObject({ literal: 'child_process', built: true });
  });

  it('marks a callee reached through an assembled property name', () => {
    const call = callTo("const cp = require('child_process'); cp['ex' + 'ec'](cmd)", 'child_process.exec');
    expect(call.builtName).toBe(true);
    expect(callTo("const cp = require('child_process'); cp['exec'](cmd)", 'child_process.exec').builtName).toBeUndefined();
  });

  it('leaves a plain literal unmarked', () => {
    expect(callTo("require('child_process')", 'require').args[0]).not.toHaveProperty('built');
    expect(callTo("require('\\\\x41')", 'require').args[0]).not.toHaveProperty('built');
  });

  it.each([
    ["require(atob('Y2hpbGRfcHJvY2Vzcw=='))", 'child_process'],
    ["require(Buffer.from('6368696c645f70726f63657373', 'hex').toString())", 'child_process'],
    ['require(String.fromCharCode(111, 115))', 'os'],
    ["require('ssecorp_dlihc'.split('').reverse().join(''))", 'child_process'],
    ["require('\\x63hild_process')", 'child_process'],
    ["require(`\\u0063hild_${'process'}`)", 'child_process'],
    ["require('child_' + '\\u{70}rocess')", 'child_process'],
  ])('%s is encoded, not just assembled', (source, name) => {
    expect(callTo(source, 'require').args[0]).toMatchObject({ literal: name, built: true, encoded: true });
  });

  it.each([
    ["require('child_' + 'process')"],
    ["require(['child', 'process'].join('_'))"],
    ["require(`child_${'process'}`)"],
    ["require(Buffer.from('child_process', 'utf8').toString())"],
    ["require('\\x1b[0m' + 'x')"],
  ])('%s is assembled, not encoded', (source) => {
    const argument = callTo(source, 'require').args[0]!;
    expect(argument.built).toBe(true);
    expect(argument).not.toHaveProperty('encoded');
  });

  it('marks a callee reached through an escaped property name', () => {
    expect(callTo("const cp = require('child_process'); cp['\\x65xec'](cmd)", 'child_process.exec').builtName).toBe(true);
  });
});

describe('notable strings', () => {
  it('keeps endpoints, addresses, sensitive paths and blobs with the name they are bound to', () => {
    const blob = 'QUJD'.repeat(100);
    const facts = extractFacts(
      'index.js',
      `const API = 'https://api.example.com/v1';
       function send() { return { Bcc: 'someone@example.org', 'host': '0.0.0.0' }; }
       const key = os.homedir() + '/.ssh/id_rsa';
       const payload = '${blob}';
       const plain = 'hello world';`,
    );
    expect(facts.strings).toEqual([
      { kind: 'url', value: 'https://api.example.com/v1', length: 26, key: 'API', line: 1, column: 13, within: null },
      expect.objectContaining({ kind: 'email', value: 'someone@example.org', key: 'Bcc', within: expect.any(String) }),
      expect.objectContaining({ kind: 'ip', value: '0.0.0.0', key: 'host' }),
      expect.objectContaining({ kind: 'sensitive-path', value: '/.ssh/id_rsa' }),
      expect.objectContaining({ kind: 'blob', length: 400, key: 'payload', entropy: 2 }),
    ]);
    expect(facts.strings[4]!.value).toHaveLength(200);
  });

  it('keeps the constant start of a template', () => {
    expect(extractFacts('index.js', 'fetch(`https://hooks.example.com/${id}`)').strings[0]).toMatchObject({ kind: 'url', value: 'https://hooks.example.com/' });
  });
});

describe('the whole environment against one variable of it', () => {
  const labelsAt = (source: string, callee: string, position = 0) => callTo(source, callee).args[position]!.labels;

  it.each([
    ['const { TOKEN } = process.env; fetch(url, { body: TOKEN })', 1],
    ['const env = { ...process.env }; fetch(env.API_URL)', 0],
    ['const env = { ...process.env }; fetch(env[name])', 0],
    ['const config = loadConfig(process.env); fetch(config.url)', 0],
    ["const config = require('envalid').cleanEnv(process.env, spec); fetch(url, { body: JSON.stringify(config) })", 1],
  ])('%s: one variable', (source, position) => {
    const labels = labelsAt(source, 'fetch', position);
    expect(labels).toContain('@env');
    expect(labels).not.toContain('@env-all');
  });

  it.each([
    ['const { A, ...rest } = process.env; fetch(url, { body: JSON.stringify(rest) })', 1],
    ['fetch(url, { body: Object.entries(process.env).map(([k, v]) => k + v).join() })', 1],
    ['const data = Buffer.from(JSON.stringify(process.env)).toString("base64"); fetch(url + data)', 0],
    ['fetch(url + "?" + new URLSearchParams(process.env))', 0],
    ['const snapshot = Object.assign({}, process.env); fetch(url, { body: JSON.stringify(snapshot) })', 1],
  ])('%s: the whole environment', (source, position) => {
    expect(labelsAt(source, 'fetch', position)).toContain('@env-all');
  });

  it('does not count the environment given to a started program as part of what it returns', () => {
    const source = `const cp = require('child_process');
      const output = cp.execFileSync('kubectl', args, { env: { ...process.env, KUBECONFIG: file } });
      const pods = execSafe('kubectl', args, { env: process.env });
      JSON.stringify(output); JSON.stringify(pods);`;
    const calls = extractFacts('index.js', source).calls.filter((call) => call.callee === 'JSON.stringify');
    expect(calls.map((call) => call.args[0]!.labels)).toEqual([[], []]);
    expect(callTo(source, 'child_process.execFileSync').args[2]!.labels).toContain('@env-all');
  });
});

describe('argument shapes', () => {
  it('marks callbacks and labels each property of an options object', () => {
    const call = callTo('function handler(input) { server.listen(8080, () => ready()); axios({ url: input.url, method: "GET", timeout: 5000 }); }', 'member:listen');
    expect(call.args.map((argument) => argument.function ?? false)).toEqual([false, true]);
    const axios = extractFacts('index.js', "const axios = require('axios'); function f(input) { axios({ url: input.url, method: 'GET', timeout: 5000 }); }").calls.find((candidate) => candidate.callee === 'axios')!;
    expect(axios.args[0]).toMatchObject({ properties: { method: 'GET', timeout: '5000' }, propertyLabels: { url: [expect.stringMatching(/#0$/)] } });
    expect(callTo('function f(options) { server.listen({ port: options.port }); }', 'member:listen').args[0]!.propertyLabels).toEqual({ port: [expect.stringMatching(/#0$/)] });
  });

  it('binds a constant to the name of the array or default it is written in', () => {
    const strings = extractFacts('index.js', "const mail = { bcc: ['spy@mailbox.org'] }; this.flagUrl = process.env.FLAG_URL || 'https://flags.vendor.dev/v1'; const host = debug ? 'http://localhost:3000' : 'https://api.vendor.dev';").strings;
    expect(strings.map((string) => [string.value, string.key])).toEqual([
      ['spy@mailbox.org', 'bcc'],
      ['https://flags.vendor.dev/v1', 'flagUrl'],
      ['http://localhost:3000', 'host'],
      ['https://api.vendor.dev', 'host'],
    ]);
  });
});

describe('environment variables that name places', () => {
  it.each([
    ["const fs = require('fs'); fs.writeFileSync(process.env.HOME + '/.x', d)", '@home'],
    ["const fs = require('fs'); fs.writeFileSync(process.env.USERPROFILE + '/x', d)", '@home'],
    ["const fs = require('fs'); fs.writeFileSync(process.env.TMPDIR + '/x', d)", '@tmp'],
    ["const fs = require('fs'); fs.writeFileSync(process.env.MEMORY_FILE_PATH, d)", '@env'],
  ])('%s is %s', (source, label) => {
    expect(callTo(source, 'fs.writeFileSync').args[0]!.labels).toEqual([label]);
  });
});

describe('path checks', () => {
  const guarded = (source: string, callee = 'fs.readFileSync') => callTo(`const fs = require('fs'); const path = require('path');\n${source}`, callee).guarded;

  it.each([
    ['a call to a validatePath-like function', 'async function read(p) { const valid = await validatePath(p); return fs.readFileSync(valid); }'],
    ['a method named like a check', 'function read(p) { if (!this.isPathAllowed(p)) throw new Error("no"); return fs.readFileSync(p); }'],
    ['startsWith with path.sep', 'function read(p) { if (!p.startsWith(root + path.sep)) throw new Error("no"); return fs.readFileSync(p); }'],
    ["startsWith with '/'", "function read(p) { if (!p.startsWith(root + '/')) throw new Error('no'); return fs.readFileSync(p); }"],
    ['startsWith with a template ending in /', 'function read(p) { if (!p.startsWith(`${root}/`)) throw new Error("no"); return fs.readFileSync(p); }'],
    ['path.relative with ..', "function read(p) { const rel = path.relative(root, p); if (rel.startsWith('..')) throw new Error('no'); return fs.readFileSync(p); }"],
    ['a check in the enclosing function', 'async function list(p) { const dir = await validatePath(p); return names.map((name) => fs.readFileSync(path.join(dir, name))); }'],
  ])('marks calls in a function with %s', (_, source) => {
    expect(guarded(source)).toBe(true);
  });

  it.each([
    ['no check at all', 'function read(p) { return fs.readFileSync(p); }'],
    ['a bare startsWith (CVE-2025-53110)', 'function read(p) { if (!p.startsWith(root)) throw new Error("no"); return fs.readFileSync(p); }'],
    ['a check that only tests existence', 'function read(p) { if (!fs.existsSync(p)) ensureDirExists(p); return fs.readFileSync(p); }'],
    ['path.relative without ..', 'function read(p) { console.log(path.relative(root, p)); return fs.readFileSync(p); }'],
    ['a check in a nested function only', 'function read(p) { const ok = (q) => validatePath(q); return fs.readFileSync(p); }'],
    ['a check at module level', 'validatePath(x); function read(p) { return fs.readFileSync(p); }'],
  ])('leaves calls unmarked with %s', (_, source) => {
    expect(guarded(source)).toBeUndefined();
  });

  it('keeps a check inside one dispatch branch to that branch', () => {
    const facts = extractFacts(
      'index.js',
      `const fs = require('fs');
       server.setRequestHandler(CallToolRequestSchema, async (request) => {
         const args = request.params.arguments;
         switch (request.params.name) {
           case 'read_safe': { const p = await validatePath(args.path); return fs.readFileSync(p); }
           case 'read_raw': return fs.writeFileSync(args.path, args.content);
         }
       });`,
    );
    expect(facts.calls.find((call) => call.callee === 'fs.readFileSync')!.guarded).toBe(true);
    expect(facts.calls.find((call) => call.callee === 'fs.writeFileSync')!.guarded).toBeUndefined();
  });
});

describe('tool names held in variables', () => {
  it('reads a name from a variable given one constant, not from a parameter or a reassigned variable', () => {
    const facts = extractFacts(
      'index.js',
      `const name = 'get-env';
       export const register = (server) => server.registerTool(name, {}, async () => ({}));
       let changing = 'first'; changing = 'second';
       server.tool(changing, async () => ({}));
       function wrap(name) { server.tool(name, async () => ({})); }`,
    );
    expect(facts.tools.map((tool) => tool.name)).toEqual(['get-env']);
  });
});

describe('what the model reads of a tool', () => {
  it('keeps parameter descriptions written with zod or JSON Schema, and templates with unknown parts', () => {
    const facts = extractFacts(
      'index.js',
      `server.tool('add', 'Adds numbers', { a: z.number().describe('First'), opts: z.object({ round: z.boolean().describe('Round it') }) }, async () => ({}));
       server.registerTool('read', {
         description: \`Reads a file. \${GUIDE}\`,
         inputSchema: { path: z.string().min(1).describe('Where ' + 'to read') },
       }, async () => ({}));
       server.addTool({ name: 'ping', description: 'Pings', parameters: { type: 'object', properties: { host: { type: 'string', description: 'Host' } } }, execute: async () => ({}) });
       server.tool('bare', async () => ({}));`,
    );
    expect(facts.tools.map(({ name, description, params }) => ({ name, description, params }))).toEqual([
      { name: 'add', description: 'Adds numbers', params: [{ name: 'a', description: 'First' }, { name: 'opts.round', description: 'Round it' }] },
      { name: 'read', description: 'Reads a file. …', params: [{ name: 'path', description: 'Where to read' }] },
      { name: 'ping', description: 'Pings', params: [{ name: 'host', description: 'Host' }] },
      { name: 'bare', description: undefined, params: undefined },
    ]);
  });

  it('keeps tools a ListTools answer declares, but only objects with a constant name and an inputSchema', () => {
    const facts = extractFacts(
      'index.js',
      `server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [
         { name: 'get_issue', description: 'Get an issue. ' + NOTE, inputSchema: { type: 'object', properties: { repo: { type: 'string', description: 'owner/name' } } } },
         { name: 'list', description: 'List', inputSchema: zodToJsonSchema(ListSchema) },
         { name: dynamicName, description: 'Dynamic', inputSchema: {} },
       ] }));
       const person = { name: 'Ada', description: 'Not a tool', age: 36 };`,
    );
    expect(facts.listedTools).toEqual([
      { name: 'get_issue', description: 'Get an issue. …', params: [{ name: 'repo', description: 'owner/name' }], line: 2, column: 10 },
      { name: 'list', description: 'List', line: 3, column: 10 },
    ]);
  });
});

describe('registrations under a condition', () => {
  it('keeps the test of an if, ?:, && or || that reads a setting, and not other tests', () => {
    const facts = extractFacts(
      'index.js',
      `if (process.env.ENABLE_WRITE === 'true') { server.tool('write', async () => ({})); } else { server.tool('read_only', async () => ({})); }
       caps?.experimental && server.registerTool('beta', {}, async () => ({}));
       config.readOnly || server.tool('delete', async () => ({}));
       const extra = options.unsafe ? server.tool('eval', async () => ({})) : null;
       if (server) { if (flags.shell) { if (ready) server.tool('shell', async () => ({})); } }
       if (typeof server.tool === 'function') server.tool('plain', async () => ({}));
       server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [
         ...(process.env.ADMIN ? [{ name: 'admin', description: 'Admin', inputSchema: {} }] : []),
       ] }));`,
    );
    expect(Object.fromEntries([...facts.tools, ...facts.listedTools].map((tool) => [tool.name, tool.conditional]))).toEqual({
      write: "process.env.ENABLE_WRITE === 'true'",
      read_only: "!(process.env.ENABLE_WRITE === 'true')",
      beta: 'caps?.experimental',
      delete: '!(config.readOnly)',
      eval: 'options.unsafe',
      shell: 'flags.shell',
      plain: undefined,
      admin: 'process.env.ADMIN',
    });
  });
});

describe('prompts and names computed at run time', () => {
  it('reads prompt registrations and a ListPrompts answer, but not readline or inquirer prompts', () => {
    const facts = extractFacts(
      'index.js',
      `server.prompt('review', 'Reviews code', { code: z.string() }, async () => ({ messages: [] }));
       server.registerPrompt('plan', { title: 'Plan', description: 'Plans the day' }, () => ({ messages: [] }));
       server.addPrompt({ name: 'commit', description: 'Writes a commit message', load: async () => '' });
       if (process.env.DEBUG) server.prompt('debug', () => ({ messages: [] }));
       server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [{ name: 'triage', description: 'Triage', arguments: [{ name: 'id', required: true }] }] }));
       const elsewhere = { prompts: [{ name: 'not-listed' }] };
       rl.prompt(true);
       inquirer.prompt([{ name: 'q', message: 'Name?' }]);`,
    );
    // Listed prompts are read during the scan, registrations after it: sorted by line here.
    expect(facts.prompts.map(({ name, description, conditional, line }) => ({ name, description, conditional, line })).sort((a, b) => a.line - b.line)).toEqual([
      { name: 'review', description: 'Reviews code', conditional: undefined, line: 1 },
      { name: 'plan', description: 'Plans the day', conditional: undefined, line: 2 },
      { name: 'commit', description: 'Writes a commit message', conditional: undefined, line: 3 },
      { name: 'debug', description: undefined, conditional: 'process.env.DEBUG', line: 4 },
      { name: 'triage', description: 'Triage', conditional: undefined, line: 5 },
    ]);
    expect(facts.unnamedRegistrations).toEqual([]);
  });

  it('notes registrations under computed names and a CallTool handler that looks tools up by name', () => {
    const looped = extractFacts(
      'index.js',
      `for (const tool of TOOLS) server.registerTool(tool.name, { description: tool.description }, tool.handler);
       prompts.forEach((p) => server.registerPrompt(p.name, {}, p.load));
       server.addTool(definition);
       server.tool(async () => ({}));`,
    );
    expect(looped.unnamedRegistrations.map(({ kind, line }) => ({ kind, line }))).toEqual([
      { kind: 'tool', line: 1 },
      { kind: 'prompt', line: 2 },
      { kind: 'tool', line: 3 },
    ]);
    expect(looped.unnamedRegistrations[0]!.excerpt).toContain('server.registerTool(tool.name');

    const lookup = extractFacts('index.js', `server.setRequestHandler(CallToolRequestSchema, async (request) => handlers[request.params.name](request.params.arguments));`);
    expect(lookup.unnamedRegistrations).toMatchObject([{ kind: 'tool', line: 1 }]);
    const branches = extractFacts('index.js', `server.setRequestHandler(CallToolRequestSchema, async (request) => { if (request.params.name === 'a') return run(); });`);
    expect(branches.unnamedRegistrations).toEqual([]);
  });
});

describe('calls as compilers write them', () => {
  const callees = (source: string) => extractFacts('index.js', source).calls.map((call) => call.callee);

  it.each([
    ['TypeScript: (0, module_1.member)(…)', 'const child_process_1 = require("child_process"); (0, child_process_1.exec)(cmd);', 'child_process.exec'],
    ['TypeScript: __importDefault(require(…)).default', 'const open_1 = __importDefault(require("open")); (0, open_1.default)(url);', 'open'],
    ['tslib: (0, tslib.__importStar)(require(…))', 'const fs = (0, tslib_1.__importStar)(require("node:fs")); fs.readFileSync(p);', 'fs.readFileSync'],
    ['esbuild: __toESM(require(…), 1)', 'var import_open = __toESM(require("open"), 1); (0, import_open.default)(url);', 'open'],
    ['esbuild: .default.member', 'var import_promises = __toESM(require("fs/promises")); import_promises.default.readFile(p);', 'fs.promises.readFile'],
    ['Babel: _interopRequireDefault(require(…))', 'var _child = _interopRequireDefault(require("child_process")); _child.default.spawn(cmd);', 'child_process.spawn'],
  ])('%s', (_, source, callee) => {
    expect(callees(source)).toContain(callee);
  });

  it('takes the last expression of a sequence as the function called, and no other helper as an import', () => {
    expect(callees('(setup(), run)(x);')).toEqual(['local:run', 'local:setup']);
    expect(callees('var m = wrap(require("child_process")); m.exec(x);')).toContain('member:exec');
  });

  it('keeps the labels of what is passed through the call', () => {
    const call = callTo('var import_open = __toESM(require("open")); async function f(u) { const r = await fetch(u); const m = await r.json(); await (0, import_open.default)(m.authorization_endpoint); }', 'open');
    expect(call.args[0]!.labels).toContain('@network');
  });
});

describe('functions that confine what they return', () => {
  const confines = (source: string, name = 'f') =>
    extractFacts('index.js', `const fs = require('fs'); const path = require('path');\n${source}`).functions.find((fn) => fn.name === name)!.confines;

  it.each([
    ['resolve and a separator-terminated startsWith, throwing', "function f(root, p) { const full = path.resolve(root, p); if (!full.startsWith(root + path.sep)) throw new Error('no'); return full; }"],
    ['the check stored in a variable', 'function f(root, p) { const full = path.resolve(root, p); const inside = full.startsWith(`${root}/`); if (!inside) { throw new Error("no"); } return full; }'],
    ['path.relative with .. and isAbsolute', "function f(root, p) { const full = path.resolve(root, p); const rel = path.relative(root, full); if (rel.startsWith('..') || path.isAbsolute(rel)) return null; return full; }"],
    ['path.relative compared with ..', "function f(root, p) { const full = path.resolve(root, p); const rel = path.relative(root, full); if (rel.split(path.sep)[0] === '..') return; return full; }"],
    ['realpath, returned only when inside', 'async function f(root, p) { const real = await fs.promises.realpath(p); if (real === root || real.startsWith(root + path.sep)) return real; throw new Error("no"); }'],
    ['a list of roots', 'function f(p) { const full = path.resolve(p); if (!ROOTS.some((root) => full.startsWith(root + path.sep))) throw new Error("no"); return full; }'],
    ['a method named like a check', 'function f(p) { if (!this.isPathAllowed(p)) throw new Error("no"); return p; }'],
  ])('path: %s', (_, source) => {
    expect(confines(source)).toBe('path');
  });

  it.each([
    ['a set of hosts', "function f(input) { const url = new URL(input); if (url.protocol !== 'https:' || !ALLOWED.has(url.hostname)) throw new Error('no'); return url.href; }"],
    ['a list of hosts, in an else', 'function f(input) { const url = new URL(input); if (HOSTS.includes(url.hostname)) { return url.toString(); } else { throw new Error("no"); } }'],
  ])('host: %s', (_, source) => {
    expect(confines(source)).toBe('host');
  });

  it.each([
    ['a bare startsWith (CVE-2025-53110)', "function f(root, p) { const full = path.resolve(root, p); if (!full.startsWith(root)) throw new Error('no'); return full; }"],
    ['a check that only warns', "function f(root, p) { const full = path.resolve(root, p); if (!full.startsWith(root + path.sep)) console.warn('outside'); return full; }"],
    ['the value returned on both branches', "function f(root, p) { const full = path.resolve(root, p); if (!full.startsWith(root + path.sep)) return full; return full; }"],
    ['a return before the check', "function f(root, p) { const full = path.resolve(root, p); if (cache.has(full)) return full; if (!full.startsWith(root + path.sep)) throw new Error('no'); return full; }"],
    ['the check the wrong way round', "function f(root, p) { const full = path.resolve(root, p); if (full.startsWith(root + path.sep)) throw new Error('no'); return full; }"],
    ['a .. test without path.relative', "function f(p) { if (p.includes('..')) throw new Error('no'); return p; }"],
    ['a check in a nested function only', "function f(root, p) { const ok = (q) => { if (!q.startsWith(root + path.sep)) throw new Error('no'); }; return p; }"],
    ['no value returned', "function f(root, p) { if (!p.startsWith(root + path.sep)) throw new Error('no'); fs.readFileSync(p); }"],
  ])('not with %s', (_, source) => {
    expect(confines(source)).toBeUndefined();
  });

  it('wraps parameters passed to what may run a confining function with the call, and nothing else', () => {
    const facts = extractFacts(
      'index.js',
      [
        "import fs from 'node:fs'; import path from 'node:path'; import { under } from './paths.js';",
        'function read(p) {',
        '  const safe = under(ROOT, p);',
        '  fs.readFileSync(safe);',
        '  fs.readFileSync(path.join(ROOT, String(p)));',
        '  fs.readFileSync(local(process.env.TOKEN));',
        '  fs.readFileSync(outer(under(ROOT, p)));',
        '}',
        // outer is a function of this file that confines nothing: a call to it wraps nothing.
        'function outer(x) { return x; }',
      ].join('\n'),
    );
    const reads = facts.calls.filter((call) => call.callee === 'fs.readFileSync').map((call) => call.args[0]!.labels);
    const id = facts.functions.find((fn) => fn.name === 'read')!.id;
    expect(reads).toEqual([[`${id}#0~3:16:under`], [`${id}#0`], ['@env'], [`${id}#0~7:25:under`]]);
  });

  it('holds a parameter unwrapped when it comes through two different calls, or also directly', () => {
    const facts = extractFacts(
      'index.js',
      [
        "import fs from 'node:fs'; import { under, other } from './paths.js';",
        'function read(p) {',
        '  let file = under(ROOT, p);',
        '  if (retry) file = other(ROOT, p);',
        '  fs.readFileSync(file);',
        '  fs.readFileSync(under(ROOT, p) + p);',
        '  fs.readFileSync([under(ROOT, p), under(ROOT, p)].join());',
        '}',
      ].join('\n'),
    );
    const id = facts.functions.find((fn) => fn.name === 'read')!.id;
    expect(facts.calls.filter((call) => call.callee === 'fs.readFileSync').map((call) => call.args[0]!.labels)).toEqual([[`${id}#0`], [`${id}#0`], [`${id}#0`]]);
  });

  it('marks only the calls that end after the first check as guarded', () => {
    const facts = extractFacts(
      'index.js',
      "const fs = require('fs'); const path = require('path');\nasync function f(root, p) { const text = fs.readFileSync(p); if (!p.startsWith(root + path.sep)) throw new Error('no'); fs.writeFileSync(p, text); return fs.readFileSync(await validatePath(p)); }",
    );
    expect(facts.calls.filter((call) => call.callee.startsWith('fs.')).map((call) => [call.callee, call.guarded === true])).toEqual([
      ['fs.readFileSync', false],
      ['fs.writeFileSync', true],
      ['fs.readFileSync', true],
    ]);
    // The call before the check is marked as such: a path built there may be the one checked.
    expect(facts.calls.filter((call) => call.callee.startsWith('fs.')).map((call) => call.checkedAfter === true)).toEqual([true, false, false]);
    const unchecked = extractFacts('index.js', "const fs = require('fs');\nfunction g(p) { return fs.readFileSync(p); }");
    expect(unchecked.calls.find((call) => call.callee === 'fs.readFileSync')!.checkedAfter).toBeUndefined();
  });
});

it('names the calls a wrapped label went through, and tells input that only went through named ones', () => {
  expect(callsThrough('12#0~3:4:escapeHtml~5:6:render')).toEqual(['escapeHtml', 'render']);
  expect(callsThrough('12#0')).toEqual([]);
  expect(callsThrough('@request')).toEqual([]);
  const escaper = (name: string) => name.startsWith('escape');
  expect(onlyThrough(['12#0~3:4:escapeHtml', '13#1~7:2:escapeAttr'], escaper)).toBe(true);
  expect(onlyThrough(['12#0~3:4:escapeHtml', '13#1'], escaper)).toBe(false);
  expect(onlyThrough(['12#0~3:4:escapeHtml', '@request'], escaper)).toBe(false);
  expect(onlyThrough([], escaper)).toBe(false);
});

it('keeps the two outermost calls of a wrapped label, and does not repeat the call it ends with', () => {
  expect(wrapLabel('12#0', ['3:4:a'])).toBe('12#0~3:4:a');
  expect(wrapLabel('12#0~3:4:a', ['3:4:a'])).toBe('12#0~3:4:a');
  expect(wrapLabel('12#0~3:4:a', ['5:6:b', '7:8:c'])).toBe('12#0~5:6:b~7:8:c');
});

describe('listeners known by their shape', () => {
  const listeners = (source: string) => extractFacts('routes.ts', source).listeners.map(({ name, convention }) => ({ name, ...(convention ? { convention } : {}) }));

  it('takes functions shaped as Express handlers, in a file that imports Express, as listeners', () => {
    expect(listeners("import express from 'express';\nexport function upload(req, res) { res.send(req.body); }\nexport const audit = () => async ({ body }: Request, res: Response, next) => next();")).toEqual([
      { name: 'express handler upload', convention: true },
      { name: 'express handler (anonymous)', convention: true },
    ]);
    // A handler registered in its file is that registration's listener, once.
    expect(listeners("import express from 'express';\nconst app = express();\nfunction run(req, res) { res.end(); }\napp.post('/run', run);")).toEqual([{ name: 'express POST /run' }]);
  });

  it('leaves the same shape alone in a file that does not import Express, and other shapes in one that does', () => {
    expect(listeners('export function upload(req, res) { res.send(req.body); }')).toEqual([]);
    expect(listeners("import express from 'express';\nexport function render(template, data) { return template(data); }\nexport function only(req) { return req.url; }")).toEqual([]);
  });
});

describe('what comes first in a built string', () => {
  it.each([
    ['function f(input) { fetch(config.base + input); }', []],
    ['function f(input) { fetch(`${config.base}/v1/${input}`); }', []],
    ["function f(input) { fetch('//' + config.host + input + config.tail); }", []],
    ['function f(input) { fetch(process.env.API + input); }', ['@env']],
  ])('%s: the lead carries none of the input', (source, lead) => {
    expect(callTo(source, 'fetch').args[0]!.leadLabels).toEqual(lead);
  });

  it.each([
    "function f(input) { fetch(input + '/status'); }",
    "function f(input) { fetch('https://' + input + config.path); }",
    'function f(input) { fetch(`${input}/x`); }',
    // A constant start naming a host: the prefix already fixes it, nothing to add.
    "function f(input) { fetch('https://api.example.org/' + config.v + input); }",
  ])('%s: no lead apart from the value', (source) => {
    expect(callTo(source, 'fetch').args[0]!.leadLabels).toBeUndefined();
  });

  it("gives an Express handler's session no input labels", () => {
    expect(callTo('function h(req, res) { fetch(req.session.url); }', 'fetch').args[0]!.labels).toEqual([]);
    expect(callTo('function h({ session, query }, res) { fetch(session.url); }', 'fetch').args[0]!.labels).toEqual([]);
    expect(callTo('function h({ session, query }, res) { fetch(query.url); }', 'fetch').args[0]!.labels).not.toEqual([]);
    // Not a request handler's shape: a tool's argument named session is input.
    expect(callTo('function tool(args) { fetch(args.session); }', 'fetch').args[0]!.labels).not.toEqual([]);
  });
});

describe('script run in a browser page', () => {
  it.each([
    ["import puppeteer from 'puppeteer'; page.evaluate(code)", 'puppeteer.Page.evaluate'],
    ["const { chromium } = require('playwright'); page.evaluate(code)", 'playwright.Page.evaluate'],
    ["import CDP from 'chrome-remote-interface'; Runtime.evaluate({ expression: code })", 'chrome-remote-interface.Runtime.evaluate'],
    // A name no other library uses is one wherever it is called.
    ['page.$eval(selector, code)', 'browser.Page.$eval'],
  ])('%s', (source, callee) => {
    expect(extractFacts('index.js', source).calls.map((call) => call.callee)).toContain(callee);
  });

  it('leaves evaluate alone in a file that drives no browser', () => {
    expect(extractFacts('index.js', "import { Parser } from 'expr-eval'; new Parser().evaluate(expression)").calls.map((call) => call.callee)).toContain('member:evaluate');
  });
});

describe('requests and sockets a call opened', () => {
  const callees = (source: string) => extractFacts('index.js', source).calls.map((call) => call.callee);

  it('names only their writes after the call that opened them', () => {
    const found = callees(
      "const https = require('https'); const net = require('net');" +
        'const req = https.request(opts, cb); req.on("error", f); req.write(body); req.end(tail); req.setTimeout(5);' +
        'const sock = net.connect(9000, host); sock.write(data); sock.destroy();' +
        'https.request(opts).end(data);' +
        "const dgram = require('dgram'); const udp = dgram.createSocket('udp4'); udp.send(msg, 53, host); udp.write(msg);",
    );
    expect(found).toEqual(expect.arrayContaining(['https.request.write', 'https.request.end', 'net.connect.write', 'dgram.createSocket.send', 'member:write', 'member:on', 'member:setTimeout', 'member:destroy']));
    expect(found.filter((callee) => callee === 'https.request.end')).toHaveLength(2);
  });

  it('names a WebSocket\'s send after its class, global or from ws, and no other of its methods', () => {
    const found = callees("import WS from 'ws'; const a = new WebSocket(u); const b = new WS(u); a.send(x); b.send(y); a.close(); b.write(z);");
    expect(found).toEqual(expect.arrayContaining(['WebSocket.send', 'ws.send', 'member:close']));
    expect(found).not.toContain('ws.write');
  });

  it('does not name a parameter of the same name, nor export the object as a module binding', () => {
    const facts = extractFacts('index.js', "const https = require('https'); const req = https.request(opts); function send(req) { req.write(x); } req(1);");
    expect(facts.calls.map((call) => call.callee)).not.toContain('https.request.write');
    expect(facts.calls.filter((call) => call.callee === 'https.request')).toHaveLength(1);
    expect(facts.bindings).not.toHaveProperty('req');
  });
});

it('reads a property holding a variable of one constant as that constant, and a reassigned one as computed', () => {
  const once = callTo("const cp = require('child_process');\nconst dir = '/srv/app';\ncp.spawn('ls', [], { cwd: dir });", 'child_process.spawn');
  expect(once.args[2]).toMatchObject({ properties: { cwd: '/srv/app' } });
  const twice = callTo("const cp = require('child_process');\nlet dir = '/srv/app';\ndir = process.argv[2];\ncp.spawn('ls', [], { dir });", 'child_process.spawn');
  expect(twice.args[2]!.properties).toEqual({});
  expect(twice.args[2]!.propertyLabels).toEqual({ dir: ['@argv'] });
});
