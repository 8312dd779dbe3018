// PEP 508 dependency specifiers (`name[extra] >=1.0, <2 ; python_version < "3.11"`, `name @ git+https://…`),
// parsed by hand: small and strict. Anything the grammar does not accept is a problem to report, never
// a throw; every step is linear in the input, and input past MAX_REQUIREMENT_CHARS is not read at all.

/** A requirement string longer than this is reported, not parsed: real ones are a line or two. */
const MAX_REQUIREMENT_CHARS = 8192;

export type Operator = '===' | '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>';

export interface Specifier {
  op: Operator;
  version: string;
}

export interface Requirement {
  /** As written. */
  name: string;
  /** PEP 503 normalised: lower case, runs of `-`, `_`, `.` as one `-`. */
  key: string;
  extras: string[];
  specifiers: Specifier[];
  /** `name @ <url>`: the URL, as written. */
  url?: string;
  /** The environment marker after `;`, as written (not evaluated). */
  marker?: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,200}[A-Za-z0-9])?/;
const OPERATORS: readonly Operator[] = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'];
// PEP 440 public and local versions, loosely; `===` takes any non-space text.
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._+!-]{0,127}\*?/;
const ARBITRARY = /^[^\s,;)]{1,128}/;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** PEP 503 normalised name: `Foo_Bar.baz` and `foo-bar-baz` are the same project. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Parses one PEP 508 requirement string. */
export function parseRequirement(text: string): Parsed<Requirement> {
  if (text.length > MAX_REQUIREMENT_CHARS) return fail(`it is ${text.length} characters long, more than ${MAX_REQUIREMENT_CHARS}`);
  if (CONTROL.test(text)) return fail('it contains control characters');
  const input = text.trim();
  if (input === '') return fail('it is empty');
  const name = NAME.exec(input)?.[0];
  if (name === undefined) return fail('it does not start with a project name');
  let rest = input.slice(name.length).trimStart();

  const extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) return fail('its extras are not closed with "]"');
    const inside = rest.slice(1, close).trim();
    if (inside !== '') {
      for (const extra of inside.split(',')) {
        const trimmed = extra.trim();
        if (NAME.exec(trimmed)?.[0] !== trimmed) return fail(`"${clip(trimmed)}" is not a valid extra name`);
        extras.push(trimmed);
      }
    }
    rest = rest.slice(close + 1).trimStart();
  }

  const requirement: Requirement = { name, key: normalizeName(name), extras, specifiers: [] };
  if (rest.startsWith('@')) {
    rest = rest.slice(1).trimStart();
    const url = /^\S+/.exec(rest)?.[0];
    if (url === undefined) return fail('"@" is not followed by a URL');
    // A marker after a URL must be separated from it by whitespace (`url ; marker`), else `;` is part of the URL.
    if (/;\s*(?:python_|sys_|os_|platform_|implementation_|extra\b)/.test(url)) return fail('the URL must be followed by a space before ";"');
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return fail(`"${clip(url)}" is not a URL`);
    requirement.url = url;
    rest = rest.slice(url.length);
    if (rest !== '' && !/^\s/.test(rest)) return fail('unexpected text after the URL');
    rest = rest.trimStart();
  } else if (rest !== '' && !rest.startsWith(';')) {
    const specs = parseSpecifiers(rest);
    if (!specs.ok) return specs;
    requirement.specifiers = specs.value.specifiers;
    rest = specs.value.rest;
  }

  if (rest.startsWith(';')) {
    const marker = rest.slice(1).trim();
    const checked = checkMarker(marker);
    if (checked !== null) return fail(checked);
    requirement.marker = marker;
    rest = '';
  }
  if (rest !== '') return fail(`unexpected text "${clip(rest)}"`);
  return { ok: true, value: requirement };
}

/** A version specifier list, optionally in parentheses, up to a marker or the end. */
function parseSpecifiers(text: string): Parsed<{ specifiers: Specifier[]; rest: string }> {
  let rest = text;
  const parenthesised = rest.startsWith('(');
  if (parenthesised) rest = rest.slice(1).trimStart();
  const specifiers: Specifier[] = [];
  for (;;) {
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (op === undefined) return fail(`"${clip(rest)}" is not a version specifier`);
    rest = rest.slice(op.length).trimStart();
    const version = (op === '===' ? ARBITRARY : VERSION).exec(rest)?.[0];
    if (version === undefined) return fail(`"${op}" is not followed by a version`);
    if (op !== '===' && version.endsWith('*')) {
      if (!version.endsWith('.*')) return fail(`"${clip(version)}" is not a version`);
      if (op !== '==' && op !== '!=') return fail(`a wildcard version needs "==" or "!=", not "${op}"`);
    }
    specifiers.push({ op, version });
    rest = rest.slice(version.length).trimStart();
    if (!rest.startsWith(',')) break;
    rest = rest.slice(1).trimStart();
  }
  if (parenthesised) {
    if (!rest.startsWith(')')) return fail('the version specifiers are not closed with ")"');
    rest = rest.slice(1).trimStart();
  }
  return { ok: true, value: { specifiers, rest } };
}

const MARKER_VARIABLES: ReadonlySet<string> = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system',
  'platform_version', 'platform_machine', 'platform_python_implementation', 'implementation_name',
  'implementation_version', 'extra', 'extras', 'dependency_groups',
  // Legacy spellings that packaging still reads.
  'os.name', 'sys.platform', 'platform.version', 'platform.machine', 'platform.python_implementation', 'python_implementation',
]);
const MARKER_TOKEN = /\s*(?:(\()|(\))|("[^"]*"|'[^']*')|(===|==|!=|<=|>=|~=|<|>)|([A-Za-z_][A-Za-z0-9_.]*))/y;
const MAX_MARKER_DEPTH = 32;

/** Checks a marker against PEP 508's grammar (without evaluating it); null when well formed. */
export function checkMarker(marker: string): string | null {
  if (marker === '') return 'the marker after ";" is empty';
  type Token = { kind: 'open' | 'close' | 'value' | 'op' | 'and' | 'or' | 'in' | 'not'; text: string };
  const tokens: Token[] = [];
  MARKER_TOKEN.lastIndex = 0;
  while (MARKER_TOKEN.lastIndex < marker.length) {
    if (/^\s*$/.test(marker.slice(MARKER_TOKEN.lastIndex))) break;
    const match = MARKER_TOKEN.exec(marker);
    if (match === null) return `the marker has unexpected text at "${clip(marker.slice(MARKER_TOKEN.lastIndex).trim())}"`;
    const [, open, close, string, op, word] = match;
    if (open !== undefined) tokens.push({ kind: 'open', text: open });
    else if (close !== undefined) tokens.push({ kind: 'close', text: close });
    else if (string !== undefined) tokens.push({ kind: 'value', text: string });
    else if (op !== undefined) tokens.push({ kind: 'op', text: op });
    else if (word === 'and' || word === 'or' || word === 'in' || word === 'not') tokens.push({ kind: word, text: word });
    else if (MARKER_VARIABLES.has(word!)) tokens.push({ kind: 'value', text: word! });
    else return `"${clip(word!)}" is not a marker variable`;
  }
  // marker := term (('and' | 'or') term)*; term := '(' marker ')' | value comparison value;
  // comparison := op | 'in' | 'not' 'in'. Parentheses are tracked with a counter, not recursion.
  let at = 0;
  let depth = 0;
  for (;;) {
    while (tokens[at]?.kind === 'open') {
      depth++;
      at++;
      if (depth > MAX_MARKER_DEPTH) return `the marker nests parentheses more than ${MAX_MARKER_DEPTH} deep`;
    }
    if (tokens[at]?.kind !== 'value') return 'the marker is not a comparison';
    at++;
    if (tokens[at]?.kind === 'op' || tokens[at]?.kind === 'in') at++;
    else if (tokens[at]?.kind === 'not' && tokens[at + 1]?.kind === 'in') at += 2;
    else return 'the marker compares nothing';
    if (tokens[at]?.kind !== 'value') return 'the marker compares with nothing';
    at++;
    while (tokens[at]?.kind === 'close') {
      if (depth === 0) return 'the marker closes a parenthesis it never opened';
      depth--;
      at++;
    }
    if (at === tokens.length) break;
    if (tokens[at]?.kind !== 'and' && tokens[at]?.kind !== 'or') return `the marker has unexpected "${clip(tokens[at]!.text)}"`;
    at++;
  }
  return depth === 0 ? null : 'the marker leaves a parenthesis open';
}

function fail<T>(problem: string): Parsed<T> {
  return { ok: false, problem };
}

/** Bundle text quoted in a problem: short, and the engine escapes it. */
export function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** An upper bound, or one exact version: what installs cannot drift to a new major release unseen. */
export function isBounded(specifiers: readonly Specifier[]): boolean {
  return specifiers.some(({ op }) => op === '==' || op === '===' || op === '~=' || op === '<' || op === '<=');
}
