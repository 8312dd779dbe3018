import { expect, it } from 'vitest';
import { extractFacts } from '../../src/analysis/js/extract.js';

const TABLE = `
function t() {
  const items = ['child_process', 'execSync', 'uptime'];
  t = function () { return items; };
  return t();
}
function get(index) {
  const items = t();
  return items[index - 0x20];
}
`;

const requires = (source: string) => extractFacts('index.js', source).imports.map((ref) => ref.specifier);
const callees = (source: string) => extractFacts('index.js', source).calls.map((call) => call.callee);

it('folds lookups through an accessor, a local alias of it and a table read by index', () => {
  expect(requires(`${TABLE}\nfunction run() { const g = get; return require(g(0x20)); }`)).toContain('child_process');
  expect(callees(`${TABLE}\nrequire('child_process')[get(0x21)](get(0x22));`)).toContain('child_process.execSync');
  expect(callees(`var names = ['os', 'homedir'];\nrequire(names[0])[names[1]]();`)).toContain('os.homedir');
});

it('gives up on a rotation that never ends, or that uses anything outside the evaluated subset, without folding a wrong order', () => {
  const forever = `${TABLE}\n(function (list) { const items = list(); while (true) { items.push(items.shift()); } })(t);\nrequire(get(0x20));`;
  expect(requires(forever)).toEqual([null]);
  const hostile = `${TABLE}\n(function (list) { const items = list(); if (Date.now() > 0) items.push(items.shift()); })(t);\nrequire(get(0x20));`;
  expect(requires(hostile)).toEqual([null]);
});

it('gives up on a rotation that doubles a string or an array, and on names no subset method has, before they fill memory', () => {
  const strings = `${TABLE}\n(function (list) { let s = 'x'; while (true) { s = s + s; } })(t);\nrequire(get(0x20));`;
  expect(requires(strings)).toEqual([null]);
  const arrays = `${TABLE}\n(function (list) { let a = list(); while (true) { a = a.concat(a); } })(t);\nrequire(get(0x20));`;
  expect(requires(arrays)).toEqual([null]);
  const joined = `${TABLE}\n(function (list) { let s = 'x'; for (let i = 0; i < 20; i++) s = s + s; const a = []; while (true) a.push(s); })(t);\nrequire(get(0x20));`;
  expect(requires(joined)).toEqual([null]);
  const prototype = `${TABLE}\n(function (list) { list().constructor('x'); 'x'.__proto__; })(t);\nrequire(get(0x20));`;
  expect(requires(prototype)).toEqual([null]);
});

it('survives accessors that recurse without end and tables that are changed elsewhere', () => {
  const recursive = `var items = ['fs', 'os'];\nfunction get(i) { return get(i) + items[i]; }\nrequire(get(0));`;
  expect(requires(recursive)).toEqual([null]);
  const sorted = `var items = ['os', 'fs'];\nitems.sort();\nrequire(items[0]);`;
  expect(requires(sorted)).toEqual([null]);
});

it('reads a key or module name held in a constant of the scope, reversed or decoded on the way', () => {
  const source = `const cp = require('child_process');\nfunction run() {\n  const name = 'cnyScexe'.split('').reverse().join('');\n  const spec = 'so';\n  cp[name]('id');\n  require(spec.split('').reverse().join('')).homedir();\n}`;
  expect(callees(source)).toEqual(expect.arrayContaining(['child_process.execSync', 'os.homedir']));
  let changed = `const cp = require('child_process');\nlet name = 'execSync';\nname = 'toString';\ncp[name]('id');`;
  expect(callees(changed)).not.toContain('child_process.execSync');
  changed = `const cp = require('child_process');\nfunction run(name) { cp[name]('id'); }`;
  expect(callees(changed)).not.toContain('child_process.execSync');
});

it("folds calls of the bundle's own small decoders with constants: hex pairs, shifted letters, a constant argument", () => {
  const hex = "const g = (h) => h.replace(/../g, (m) => String.fromCharCode(parseInt(m, 16)));\n";
  expect(requires(`${hex}function f() { return require(g('6368696c645f70726f63657373')); }`)).toContain('child_process');
  const shift = "function k(s) { return s.split('').map((c) => String.fromCharCode(c.charCodeAt() - 1)).join(''); }\n";
  expect(callees(`${shift}const i = 'fyfdTzod';\nrequire('child_process')[k(i)]('id');`)).toContain('child_process.execSync');
  const decoded = extractFacts('index.js', `${hex}const url = g('68747470733a2f2f782e696f');`).calls.find((call) => call.callee === 'local:g');
  expect(decoded?.decoded).toBe('https://x.io');
});

it('leaves decoders that take input, that a parameter of the same name shadows, or that use a pattern which could backtrack', () => {
  const hex = "const g = (h) => h.replace(/../g, (m) => String.fromCharCode(parseInt(m, 16)));\n";
  expect(requires(`${hex}function f(x) { return require(g(x)); }`)).toEqual([null]);
  expect(requires(`${hex}function f(g) { return require(g('6f73')); }`)).toEqual([null]);
  const greedy = "const g = (h) => h.replace(/(a+)+/g, (m) => String.fromCharCode(parseInt(m, 16)));\n";
  expect(requires(`${greedy}require(g('6f73'));`)).toEqual([null]);
  // A file that builds no character from codes is not walked for decoders.
  expect(requires("const g = (h) => h.split('').reverse().join('');\nrequire(g('so'));")).toEqual([null]);
});
