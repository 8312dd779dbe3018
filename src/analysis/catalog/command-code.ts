// Code handed to an interpreter on its command line (`python -c`, `node -e`, `perl -e`, `ruby -e`,
// `php -r`, `osascript -e`), read as tokens for catalog/commands.ts: the identifiers it names, its
// string literals, the strings it hands to a shell (`os.system("…")`, backticks, `do shell script
// "…"`) and the argument lists it starts programs with (`subprocess.run(["sh", "-c", "…"])`). A
// one-liner is not parsed: what it does is judged from what it names, which is enough for the few
// shapes the catalogue looks for (a socket wired to a shell, a download or a decoded blob handed to
// eval). One pass, linear in the text; strings and identifiers kept are capped.

export type CodeLanguage = 'python' | 'node' | 'perl' | 'ruby' | 'php' | 'applescript';

export interface CodeString {
  text: string;
  start: number;
  end: number;
}

export interface CodeFacts {
  /** Identifiers as written; lower-cased for the languages that ignore case (PHP's functions, AppleScript's words). */
  idents: Set<string>;
  strings: CodeString[];
  /** Strings a shell runs. */
  shell: CodeString[];
  /** Argument lists a program is started with, the program first. */
  argv: CodeString[][];
  /** Calls whose first argument is another call, as `outer(inner`: `eval(atob`, `exec(b64decode`, `exec(urlopen`, `Function(from`. */
  calls: Set<string>;
}

const MAX_TOKENS = 50_000;
const MAX_STRINGS = 2_000;
/** How far after a call's name its arguments are looked for, in tokens. */
const CALL_WINDOW = 64;
const MAX_CALLS = 1_000;

/** Calls that run a command, by language: their first string (or list of strings) is a command. */
const EXEC_CALLS: Readonly<Record<CodeLanguage, ReadonlySet<string>>> = {
  python: new Set([
    'system', 'popen', 'getoutput', 'getstatusoutput', 'check_output', 'check_call', 'call', 'run', 'popen',
    'create_subprocess_shell', 'create_subprocess_exec', 'spawn', 'spawnl', 'spawnlp', 'spawnv', 'spawnvp',
    'execv', 'execvp', 'execl', 'execlp', 'execve', 'execvpe',
  ]),
  node: new Set(['exec', 'execsync', 'execfile', 'execfilesync', 'spawn', 'spawnsync', 'execa', 'execasync', 'execacommand', 'execacommandsync', 'doshellscript']),
  perl: new Set(['system', 'exec', 'readpipe']),
  ruby: new Set(['system', 'exec', 'spawn', 'popen', 'capture2', 'capture2e', 'capture3', 'popen3']),
  php: new Set(['system', 'exec', 'shell_exec', 'passthru', 'popen', 'proc_open', 'pcntl_exec']),
  applescript: new Set(),
};

interface Token {
  type: 'ident' | 'string' | 'punct';
  text: string;
  start: number;
  end: number;
  /** A string a shell runs as written (backticks, `qx(…)`, `%x(…)`). */
  shell?: boolean;
}

export function readCode(text: string, language: CodeLanguage): CodeFacts {
  const tokens = tokenize(text, language);
  const facts: CodeFacts = { idents: new Set(), strings: [], shell: [], argv: [], calls: new Set() };
  const strings = (token: Token) => {
    if (facts.strings.length < MAX_STRINGS) facts.strings.push({ text: token.text, start: token.start, end: token.end });
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'string') {
      strings(token);
      if (token.shell) facts.shell.push(token);
      continue;
    }
    if (token.type !== 'ident') continue;
    const name = token.text.toLowerCase();
    if (facts.idents.size < MAX_TOKENS) facts.idents.add(language === 'php' || language === 'applescript' ? name : token.text);
    if (language === 'applescript') {
      // `do shell script "…"`
      if (name === 'do' && tokens[i + 1]?.text.toLowerCase() === 'shell' && tokens[i + 2]?.text.toLowerCase() === 'script' && tokens[i + 3]?.type === 'string') {
        facts.shell.push(tokens[i + 3]!);
      }
      continue;
    }
    if (tokens[i + 1]?.text === '(' && facts.calls.size < MAX_CALLS) {
      const inner = innerCall(tokens, i + 2);
      if (inner !== undefined) facts.calls.add(`${token.text}(${inner}`);
    }
    if (EXEC_CALLS[language].has(name)) callArguments(tokens, i + 1, facts);
    else if (language === 'perl' && name === 'open') pipeOpen(tokens, i + 1, facts);
  }
  return facts;
}

/** The callee of a call that starts at `from` (`base64.b64decode(`, `new Function(`, `Buffer.from(`): its last name. */
function innerCall(tokens: readonly Token[], from: number): string | undefined {
  let at = from;
  if (tokens[at]?.text === 'new') at += 1;
  let name: string | undefined;
  for (let steps = 0; steps < 8 && at < tokens.length; steps++) {
    const token = tokens[at]!;
    if (token.type !== 'ident') return undefined;
    name = token.text;
    const next = tokens[at + 1]?.text;
    if (next === '(') return name;
    if (next !== '.' && next !== ':') return undefined;
    at += next === ':' && tokens[at + 2]?.text === ':' ? 3 : 2;
  }
  return undefined;
}

/** The command a call takes: one string (a shell line), or strings in a list or in a row (an argument list). */
function callArguments(tokens: readonly Token[], from: number, facts: CodeFacts): void {
  const listed: CodeString[] = [];
  let first: Token | undefined;
  const end = Math.min(tokens.length, from + CALL_WINDOW);
  let at = from;
  if (tokens[at]?.text === '(') at += 1;
  for (; at < end; at++) {
    const token = tokens[at]!;
    if (token.type === 'string') {
      if (first === undefined) first = token;
      else listed.push(token);
      continue;
    }
    if (token.text === '[' || token.text === ',' || token.text === ']' || token.text === '(' || (token.text === ' ' && first === undefined)) continue;
    break;
  }
  if (first === undefined) return;
  if (listed.length === 0 && tokens[from]?.text !== '[' && tokens[from + 1]?.text !== '[') facts.shell.push(first);
  else facts.argv.push([first, ...listed]);
}

/** Perl's `open(FH, "curl … |")` and `open(FH, "-|", "cmd")`: a command read through a pipe. */
function pipeOpen(tokens: readonly Token[], from: number, facts: CodeFacts): void {
  const end = Math.min(tokens.length, from + CALL_WINDOW);
  for (let at = from; at < end; at++) {
    const token = tokens[at]!;
    if (token.text === ';' || token.text === ')') return;
    if (token.type !== 'string') continue;
    const trimmed = token.text.trim();
    if (trimmed.endsWith('|') || trimmed.startsWith('|')) {
      facts.shell.push({ ...token, text: trimmed.replace(/^\|\s*|\s*\|$/g, '') });
      return;
    }
    if (trimmed === '-|' || trimmed === '|-') {
      const next = tokens.slice(at + 1, end).find((candidate) => candidate.type === 'string');
      if (next !== undefined) facts.shell.push(next);
      return;
    }
  }
}

function isIdentStart(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code === 36;
}

function isIdentPart(code: number): boolean {
  return isIdentStart(code) || (code >= 48 && code <= 57);
}

const CLOSERS: Readonly<Record<string, string>> = { '(': ')', '{': '}', '[': ']', '<': '>' };

function tokenize(text: string, language: CodeLanguage): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const push = (token: Token) => {
    if (tokens.length < MAX_TOKENS) tokens.push(token);
  };
  while (at < text.length && tokens.length < MAX_TOKENS) {
    const c = text[at]!;
    const code = text.charCodeAt(at);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      at += 1;
      continue;
    }
    const comment = commentEnd(text, at, language);
    if (comment !== -1) {
      at = comment;
      continue;
    }
    // Quote-like operators: Perl's q qq qx, Ruby's %q %Q %x %(…).
    const quoteLike = quoteOperator(text, at, language);
    if (quoteLike !== null) {
      push(quoteLike);
      at = quoteLike.end;
      continue;
    }
    if (isIdentStart(code)) {
      let end = at + 1;
      while (end < text.length && isIdentPart(text.charCodeAt(end))) end += 1;
      // Python string prefixes: r"…", b'…', f"…", rb"…".
      const word = text.slice(at, end);
      if (language === 'python' && /^[rbfuRBFU]{1,2}$/.test(word) && (text[end] === '"' || text[end] === "'")) {
        const token = quoted(text, end, language, /r/i.test(word));
        push({ ...token, start: at });
        at = token.end;
        continue;
      }
      push({ type: 'ident', text: word, start: at, end });
      at = end;
      continue;
    }
    if (c === '"' || c === "'" || (c === '`' && language !== 'python' && language !== 'applescript')) {
      if (c === "'" && language === 'applescript') {
        push({ type: 'punct', text: c, start: at, end: at + 1 });
        at += 1;
        continue;
      }
      const token = quoted(text, at, language, false);
      push(token);
      at = token.end;
      continue;
    }
    push({ type: 'punct', text: c, start: at, end: at + 1 });
    at += 1;
  }
  return tokens;
}

/** Where a comment starting at `at` ends, or -1 when none starts there. */
function commentEnd(text: string, at: number, language: CodeLanguage): number {
  const c = text[at];
  const next = text[at + 1];
  const lineEnd = () => {
    const newline = text.indexOf('\n', at);
    return newline === -1 ? text.length : newline;
  };
  const blockEnd = (close: string) => {
    const end = text.indexOf(close, at + 2);
    return end === -1 ? text.length : end + close.length;
  };
  switch (language) {
    case 'python':
    case 'perl':
    case 'ruby':
      return c === '#' ? lineEnd() : -1;
    case 'php':
      if (c === '#' || (c === '/' && next === '/')) return lineEnd();
      return c === '/' && next === '*' ? blockEnd('*/') : -1;
    case 'node':
      if (c === '/' && next === '/') return lineEnd();
      return c === '/' && next === '*' ? blockEnd('*/') : -1;
    case 'applescript':
      if (c === '#' || (c === '-' && next === '-')) return lineEnd();
      return c === '(' && next === '*' ? blockEnd('*)') : -1;
  }
}

function quoteOperator(text: string, at: number, language: CodeLanguage): Token | null {
  if (language === 'perl') {
    const match = /^(qx|qq|q)\s{0,4}([^\w\s])/.exec(text.slice(at, at + 8));
    if (match === null || (at > 0 && isIdentPart(text.charCodeAt(at - 1)))) return null;
    return delimited(text, at, at + match[0].length, match[2]!, match[1] === 'qx');
  }
  if (language === 'ruby' && text[at] === '%') {
    const match = /^%([qQxw]?)([^\w\s])/.exec(text.slice(at, at + 3));
    if (match === null) return null;
    return delimited(text, at, at + match[0].length, match[2]!, match[1] === 'x');
  }
  return null;
}

function delimited(text: string, start: number, bodyStart: number, open: string, shell: boolean): Token {
  const close = CLOSERS[open] ?? open;
  let level = 1;
  let at = bodyStart;
  while (at < text.length) {
    const c = text[at]!;
    if (c === '\\') {
      at += 2;
      continue;
    }
    if (c === close && --level === 0) break;
    if (c === open && close !== open) level += 1;
    at += 1;
  }
  return { type: 'string', text: text.slice(bodyStart, Math.min(at, text.length)), start, end: Math.min(at + 1, text.length), shell };
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0' };

/** A quoted string at `at` (Python's triple quotes too), with its common escapes resolved. */
function quoted(text: string, at: number, language: CodeLanguage, raw: boolean): Token {
  const quote = text[at]!;
  const triple = language === 'python' && text.startsWith(quote.repeat(3), at);
  const close = triple ? quote.repeat(3) : quote;
  let out = '';
  let i = at + close.length;
  // Single quotes in Perl, Ruby and PHP take only \\ and \' as escapes; AppleScript has \" and \\.
  const literal = raw || (quote === "'" && language !== 'python' && language !== 'node');
  while (i < text.length && !text.startsWith(close, i)) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      if (literal && next !== quote && next !== '\\') out += c;
      else if (!literal && next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        out += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
        i += 4;
        continue;
      } else out += !literal && Object.hasOwn(ESCAPES, next) ? ESCAPES[next] : next;
      i += 2;
      continue;
    }
    out += c;
    i += 1;
  }
  const end = Math.min(i + close.length, text.length);
  return { type: 'string', text: out, start: at, end, shell: quote === '`' && language !== 'node' };
}
