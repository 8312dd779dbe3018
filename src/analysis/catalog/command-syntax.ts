// The shape of a command line, read the way a shell reads it, for catalog/commands.ts: pipelines of
// simple commands (or groups), each a list of words with quotes removed and escapes resolved, their
// redirections and here-documents, and the command substitutions inside words (`$(…)`, backticks,
// `<(…)`; PowerShell's `(…)`, `$(…)` and `{…}`) parsed as command lists of their own. Three dialects:
// POSIX shells (`sh`), PowerShell and cmd.exe batch. Nothing is expanded: `$HOME` stays `$HOME`.
//
// Hostile input: one pass over the text, each character read a bounded number of times. Nesting
// (substitutions, groups, blocks) is followed MAX_NESTING levels deep; deeper text is skipped by
// counting brackets and kept as written, and `limited` says so. Nothing here throws: unbalanced
// quotes and brackets run to the end of the text.

export type ShellDialect = 'sh' | 'powershell' | 'batch';

/** Syntactic nesting followed (substitutions inside substitutions); deeper text is kept unparsed. */
export const MAX_NESTING = 16;

export interface Substitution {
  /** `$(…)` and backticks; `<(…)` and `>(…)`; PowerShell `(…)`, `$(…)`, `@(…)` (group) and `{…}` (block). */
  kind: 'command' | 'process' | 'group' | 'block';
  list: CommandList;
  /** Where the substitution starts in its word's `text`. */
  at: number;
}

export interface Word {
  /** The word as the command receives it: quotes removed, escapes resolved, substitutions kept as written. */
  text: string;
  /** Its place in the list's text. */
  start: number;
  end: number;
  subs: Substitution[];
  /** Some of it was quoted (a quoted `#` or `|` is text, not syntax). */
  quoted: boolean;
}

export interface Redirect {
  /** `>`, `>>`, `<`, `<<`, `<<<`, `>&`, `&>`, `<>` … (with any file descriptor number left out). */
  op: string;
  fd: string;
  target: Word | null;
  /** The body of a here-document (`<<EOF`), as written, and where it starts. */
  heredoc?: { body: string; start: number };
}

export interface SimpleCommand {
  kind: 'simple';
  /** `NAME=value` words before the program (an environment prefix, or a plain assignment when nothing follows). */
  assigns: Word[];
  words: Word[];
  redirects: Redirect[];
  start: number;
  end: number;
}

export interface Group {
  kind: 'group';
  list: CommandList;
  redirects: Redirect[];
  start: number;
  end: number;
}

export type Stage = SimpleCommand | Group;

export interface Pipeline {
  stages: Stage[];
  start: number;
  end: number;
}

export interface CommandList {
  pipelines: Pipeline[];
  /** The text the offsets above index into (a backtick substitution has its own, unescaped). */
  text: string;
  /** Where offset 0 of `text` sits in the text first parsed (approximate inside unescaped text). */
  origin: number;
}

export interface ParsedCommands {
  list: CommandList;
  /** Nesting deeper than MAX_NESTING was kept as text, unparsed. */
  limited: boolean;
}

/**
 * Parses a command line or a whole script in one dialect. With `each`, the top-level pipelines are
 * handed over one by one as they are read (after the here-documents they open) and not kept, so that
 * a long script is never held as a whole tree; `each` returns false to stop reading.
 */
export function parseCommands(text: string, dialect: ShellDialect, each?: (pipeline: Pipeline, list: CommandList) => boolean): ParsedCommands {
  const parser = new Parser(text, dialect, 0, each);
  const list = parser.list(null, 0);
  return { list, limited: parser.limited };
}

/** Shared by the words that have no substitution (most of them): never pushed to. */
const NO_SUBS: Substitution[] = [];

const SPACE = new Set([' ', '\t', '\r', '\f', '\v']);
const SH_WORD_END = new Set([' ', '\t', '\r', '\f', '\v', '\n', '|', '&', ';', '<', '>', '(', ')']);
const PS_WORD_END = new Set([' ', '\t', '\r', '\f', '\v', '\n', '|', ';', ')', '}', ',', '>']);
const BATCH_WORD_END = new Set([' ', '\t', '\r', '\f', '\v', '\n', '|', '&', '<', '>']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]{0,200}(?:\[[^\]]{0,200}\])?\+?=/;

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  stripTabs: boolean;
}

class Parser {
  limited = false;
  private pos = 0;
  private pending: PendingHeredoc[] = [];

  constructor(
    private readonly text: string,
    private readonly dialect: ShellDialect,
    private readonly origin: number,
    private readonly each?: (pipeline: Pipeline, list: CommandList) => boolean,
  ) {}

  /** Hands the pipelines read so far to `each` (top level only); false when it asked to stop. */
  private emit(pipelines: Pipeline[], list: CommandList, depth: number): boolean {
    if (this.each === undefined || depth > 0 || this.pending.length > 0) return true;
    for (const pipeline of pipelines) {
      if (!this.each(pipeline, list)) {
        this.pos = this.text.length;
        pipelines.length = 0;
        return false;
      }
    }
    pipelines.length = 0;
    return true;
  }

  /** Commands up to `close` (`)` or `}`) or the end of the text. */
  list(close: ')' | '}' | null, depth: number): CommandList {
    const pipelines: Pipeline[] = [];
    const { text } = this;
    const list: CommandList = { pipelines, text, origin: this.origin };
    while (this.pos < text.length) {
      this.skipBlanks();
      const c = text[this.pos];
      if (c === undefined) break;
      if (c === close) {
        this.pos += 1;
        break;
      }
      if (c === '\n') {
        this.pos += 1;
        this.readHeredocs();
        this.emit(pipelines, list, depth);
        continue;
      }
      if (c === ';' || c === '&' || c === '|' || c === ')' || (c === '}' && this.dialect === 'powershell')) {
        // Separators between pipelines, and closing brackets nothing opened.
        this.pos += 1;
        continue;
      }
      if (this.atComment()) {
        this.skipComment();
        continue;
      }
      const pipeline = this.pipeline(close, depth);
      if (pipeline.stages.length > 0) {
        pipelines.push(pipeline);
        this.emit(pipelines, list, depth);
      } else if (this.pos < text.length && text[this.pos] !== close && text[this.pos] !== '\n') this.pos += 1;
    }
    this.pending = depth === 0 ? [] : this.pending;
    this.emit(pipelines, list, depth);
    return list;
  }

  private atComment(): boolean {
    const { text, pos } = this;
    if (this.dialect === 'batch') {
      const rest = text.slice(pos, pos + 4).toLowerCase();
      return rest.startsWith('::') || ((rest === 'rem' || rest.startsWith('rem ') || rest.startsWith('rem\t')) && (pos === 0 || !/\w/.test(text[pos - 1]!)));
    }
    if (text[pos] === '#') return true;
    return this.dialect === 'powershell' && text.startsWith('<#', pos);
  }

  private skipComment(): void {
    const { text } = this;
    if (this.dialect === 'powershell' && text.startsWith('<#', this.pos)) {
      const end = text.indexOf('#>', this.pos + 2);
      this.pos = end === -1 ? text.length : end + 2;
      return;
    }
    const end = text.indexOf('\n', this.pos);
    this.pos = end === -1 ? text.length : end;
  }

  private pipeline(close: ')' | '}' | null, depth: number): Pipeline {
    const stages: Stage[] = [];
    const start = this.pos;
    const { text } = this;
    for (;;) {
      const stage = this.stage(close, depth);
      if (stage !== null) stages.push(stage);
      this.skipBlanks();
      if (text[this.pos] === '|' && text[this.pos + 1] !== '|') {
        this.pos += text[this.pos + 1] === '&' ? 2 : 1;
        // A pipe may continue on the next line.
        while (this.pos < text.length && (SPACE.has(text[this.pos]!) || text[this.pos] === '\n')) this.pos += 1;
        if (stage === null && stages.length === 0) continue;
        continue;
      }
      break;
    }
    return { stages, start, end: this.pos };
  }

  private stage(close: ')' | '}' | null, depth: number): Stage | null {
    this.skipBlanks();
    const { text } = this;
    const c = text[this.pos];
    const start = this.pos;
    const brace = this.dialect === 'sh' && c === '{' && (SPACE.has(text[this.pos + 1] ?? '') || text[this.pos + 1] === '\n');
    if ((c === '(' && this.dialect !== 'powershell' && text[this.pos + 1] !== '(') || brace) {
      this.pos += 1;
      const inner = depth + 1 >= MAX_NESTING ? this.skipNested(c === '(' ? ')' : '}') : this.list(c === '(' ? ')' : '}', depth + 1);
      const redirects: Redirect[] = [];
      this.redirectsAfterGroup(redirects, close, depth);
      return { kind: 'group', list: inner, redirects, start, end: this.pos };
    }
    return this.simple(close, depth);
  }

  private redirectsAfterGroup(redirects: Redirect[], close: ')' | '}' | null, depth: number): void {
    for (;;) {
      this.skipBlanks();
      const redirect = this.redirect(close, depth);
      if (redirect === null) return;
      redirects.push(redirect);
    }
  }

  private simple(close: ')' | '}' | null, depth: number): SimpleCommand | null {
    const command: SimpleCommand = { kind: 'simple', assigns: [], words: [], redirects: [], start: this.pos, end: this.pos };
    const { text, dialect } = this;
    for (;;) {
      this.skipBlanks();
      const c = text[this.pos];
      if (c === undefined || c === '\n' || c === ';' || c === '|') break;
      if (c === ')' && (close === ')' || dialect !== 'batch')) break;
      if (c === '}' && (dialect === 'powershell' || (close === '}' && command.words.length === 0 && command.assigns.length === 0))) break;
      if (c === '&' && (dialect !== 'powershell' || text[this.pos + 1] === '&') && text[this.pos + 1] !== '>') break;
      if (dialect === 'powershell' && c === ',') {
        this.pos += 1;
        continue;
      }
      if (c === '#' && dialect !== 'batch' && command.words.length + command.assigns.length > 0) {
        this.skipComment();
        break;
      }
      const redirect = this.redirect(close, depth);
      if (redirect !== null) {
        command.redirects.push(redirect);
        continue;
      }
      const word = this.word(depth);
      if (word === null) {
        // A character no rule takes (a stray `<` in PowerShell): step over it.
        this.pos += 1;
        continue;
      }
      if (dialect === 'sh' && command.words.length === 0 && !word.quoted && ASSIGNMENT.test(text.slice(word.start, Math.min(word.end, word.start + 420)))) command.assigns.push(word);
      else command.words.push(word);
    }
    command.end = this.pos;
    return command.words.length + command.assigns.length + command.redirects.length === 0 ? null : command;
  }

  /** A redirection at the current position (`2>&1`, `>> file`, `<<EOF`, `&>x`), or null. */
  private redirect(close: ')' | '}' | null, depth: number): Redirect | null {
    const { text, dialect } = this;
    let at = this.pos;
    let fd = '';
    while (at < text.length && at - this.pos < 3 && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at += 1;
    if (at > this.pos) fd = text.slice(this.pos, at);
    else if (text[at] === '&' && text[at + 1] === '>') {
      fd = '&';
      at += 1;
    } else if (dialect === 'powershell' && text[at] === '*' && text[at + 1] === '>') {
      fd = '*';
      at += 1;
    }
    const c = text[at];
    if (c !== '>' && c !== '<') return null;
    if (c === '<' && dialect === 'powershell') return null;
    // `<(…)` and `>(…)` are process substitutions: words, not redirections.
    if (dialect === 'sh' && fd === '' && text[at + 1] === '(') return null;
    let op: string = c;
    const next = text[at + 1];
    if (c === '>' && (next === '>' || next === '&' || next === '|')) op += next;
    else if (c === '<' && next === '<') op = text[at + 2] === '<' ? '<<<' : text[at + 2] === '-' ? '<<-' : '<<';
    else if (c === '<' && (next === '&' || next === '>')) op += next;
    this.pos = at + op.length;
    if (fd === '&') op = `&${op}`;
    this.skipBlanks();
    if (close !== null && text[this.pos] === close) return { op, fd, target: null };
    const target = this.word(depth);
    const redirect: Redirect = { op, fd, target };
    if ((op === '<<' || op === '<<-') && target !== null && dialect === 'sh') {
      this.pending.push({ redirect, delimiter: target.text, stripTabs: op === '<<-' });
    }
    return redirect;
  }

  /** Reads the bodies of the here-documents opened on the line that just ended. */
  private readHeredocs(): void {
    const { text } = this;
    for (const heredoc of this.pending) {
      const start = this.pos;
      let lineStart = this.pos;
      let bodyEnd = text.length;
      let next = text.length;
      while (lineStart < text.length) {
        const newline = text.indexOf('\n', lineStart);
        const lineEnd = newline === -1 ? text.length : newline;
        let line = text.slice(lineStart, Math.min(lineEnd, lineStart + heredoc.delimiter.length + 64));
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
        if (line === heredoc.delimiter && lineEnd - lineStart <= heredoc.delimiter.length + 64) {
          bodyEnd = lineStart;
          next = newline === -1 ? text.length : newline + 1;
          break;
        }
        lineStart = newline === -1 ? text.length : newline + 1;
      }
      heredoc.redirect.heredoc = { body: text.slice(start, bodyEnd), start };
      this.pos = next;
    }
    this.pending = [];
  }

  private skipBlanks(): void {
    const { text } = this;
    for (;;) {
      const c = text[this.pos];
      if (c !== undefined && SPACE.has(c)) {
        this.pos += 1;
        continue;
      }
      // A line continuation: the escape character right before a newline.
      const escape = this.dialect === 'sh' ? '\\' : this.dialect === 'powershell' ? '`' : '^';
      if (c === escape && (text[this.pos + 1] === '\n' || (text[this.pos + 1] === '\r' && text[this.pos + 2] === '\n'))) {
        this.pos += text[this.pos + 1] === '\r' ? 3 : 2;
        continue;
      }
      if (this.dialect === 'batch' && c === '@' && this.atCommandStart()) {
        this.pos += 1;
        continue;
      }
      return;
    }
  }

  private atCommandStart(): boolean {
    for (let at = this.pos - 1; at >= 0 && this.pos - at < 64; at--) {
      const c = this.text[at]!;
      if (c === '\n' || c === '&' || c === '|' || c === '(') return true;
      if (!SPACE.has(c)) return false;
    }
    return true;
  }

  /** An escape character and the character it escapes (nothing for a line continuation). */
  private escaped(): string {
    const next = this.text[this.pos + 1];
    this.pos += 2;
    return next === undefined || next === '\n' ? '' : next;
  }

  private word(depth: number): Word | null {
    switch (this.dialect) {
      case 'sh':
        return this.shWord(depth);
      case 'powershell':
        return this.psWord(depth);
      default:
        return this.batchWord();
    }
  }

  private shWord(depth: number): Word | null {
    const { text } = this;
    const start = this.pos;
    let out = '';
    let quoted = false;
    const subs: Substitution[] = [];
    // `<(…)` / `>(…)` at the start of a word.
    if ((text[start] === '<' || text[start] === '>') && text[start + 1] === '(') {
      this.pos += 2;
      subs.push({ kind: 'process', list: this.nested(')', depth), at: 0 });
      return { text: text.slice(start, this.pos), start, end: this.pos, subs, quoted: false };
    }
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (SH_WORD_END.has(c)) break;
      if (c === '\\') {
        out += this.escaped();
        continue;
      }
      if (c === "'") {
        const end = text.indexOf("'", this.pos + 1);
        const stop = end === -1 ? text.length : end;
        out += text.slice(this.pos + 1, stop);
        this.pos = stop + 1;
        quoted = true;
        continue;
      }
      if (c === '$' && text[this.pos + 1] === "'") {
        const [value, end] = ansiC(text, this.pos + 2);
        out += value;
        this.pos = end;
        quoted = true;
        continue;
      }
      if (c === '"') {
        this.pos += 1;
        quoted = true;
        while (this.pos < text.length && text[this.pos] !== '"') {
          const d = text[this.pos]!;
          if (d === '\\' && '$`"\\\n'.includes(text[this.pos + 1] ?? 'x')) {
            if (text[this.pos + 1] !== '\n') out += text[this.pos + 1];
            this.pos += 2;
          } else if (d === '$' || d === '`') {
            out += this.dollar(out.length, subs, depth);
          } else {
            out += d;
            this.pos += 1;
          }
        }
        this.pos += 1;
        continue;
      }
      if (c === '$' || c === '`') {
        out += this.dollar(out.length, subs, depth);
        continue;
      }
      out += c;
      this.pos += 1;
    }
    if (this.pos === start) return null;
    return { text: out, start, end: Math.min(this.pos, text.length), subs: subs.length === 0 ? NO_SUBS : subs, quoted };
  }

  /** `$(…)`, `$((…))`, `${…}`, a backtick substitution, or a lone `$`: returns the text it stands for in the word. */
  private dollar(at: number, subs: Substitution[], depth: number): string {
    const { text } = this;
    const start = this.pos;
    if (text[start] === '`') {
      let end = start + 1;
      while (end < text.length && text[end] !== '`') end += text[end] === '\\' ? 2 : 1;
      const inner = text.slice(start + 1, Math.min(end, text.length)).replace(/\\([`$\\])/g, '$1');
      this.pos = Math.min(end + 1, text.length);
      if (depth + 1 >= MAX_NESTING) this.limited = true;
      else if (inner.trim() !== '') {
        const parser = new Parser(inner, 'sh', this.origin + start + 1);
        subs.push({ kind: 'command', list: parser.list(null, depth + 1), at });
        if (parser.limited) this.limited = true;
      }
      return text.slice(start, this.pos);
    }
    const next = text[start + 1];
    if (next === '(' && text[start + 2] === '(') {
      this.pos = start + 3;
      this.skipBalanced('(', ')', 2);
      return text.slice(start, this.pos);
    }
    if (next === '(') {
      this.pos = start + 2;
      subs.push({ kind: 'command', list: this.nested(')', depth), at });
      return text.slice(start, this.pos);
    }
    if (next === '{') {
      this.pos = start + 2;
      this.skipBalanced('{', '}', 1);
      return text.slice(start, this.pos);
    }
    this.pos = start + 1;
    return '$';
  }

  /** A nested command list closed by `close`, or, past MAX_NESTING, the text skipped. */
  private nested(close: ')' | '}', depth: number): CommandList {
    if (depth + 1 >= MAX_NESTING) return this.skipNested(close);
    return this.list(close, depth + 1);
  }

  private skipNested(close: ')' | '}'): CommandList {
    this.limited = true;
    const start = this.pos;
    this.skipBalanced(close === ')' ? '(' : '{', close, 1);
    return { pipelines: [], text: this.text.slice(start, this.pos), origin: this.origin + start };
  }

  /** Moves past the bracket that closes `open` levels already open, counting brackets only. */
  private skipBalanced(open: string, close: string, levels: number): void {
    const { text } = this;
    let level = levels;
    while (this.pos < text.length && level > 0) {
      const c = text[this.pos]!;
      if (c === open) level += 1;
      else if (c === close) level -= 1;
      this.pos += 1;
    }
  }

  private psWord(depth: number): Word | null {
    const { text } = this;
    const start = this.pos;
    let out = '';
    let quoted = false;
    const subs: Substitution[] = [];
    if (text[start] === '&' && text[start + 1] !== '&') {
      this.pos += 1;
      return { text: '&', start, end: this.pos, subs, quoted };
    }
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (PS_WORD_END.has(c)) break;
      if (c === '&' && text[this.pos + 1] === '&') break;
      if (c === '`') {
        out += this.escaped();
        continue;
      }
      if (c === '@' && (text[this.pos + 1] === '"' || text[this.pos + 1] === "'") && (text[this.pos + 2] === '\n' || text[this.pos + 2] === '\r')) {
        // A here-string: @" … "@ on lines of their own.
        const quote = text[this.pos + 1]!;
        const bodyStart = text.indexOf('\n', this.pos) + 1;
        const end = text.indexOf(`\n${quote}@`, bodyStart - 1);
        const stop = end === -1 ? text.length : end;
        out += text.slice(bodyStart, stop);
        this.pos = end === -1 ? text.length : end + 3;
        quoted = true;
        continue;
      }
      if (c === "'") {
        this.pos += 1;
        quoted = true;
        while (this.pos < text.length) {
          if (text[this.pos] === "'") {
            if (text[this.pos + 1] !== "'") break;
            this.pos += 1;
          }
          out += text[this.pos];
          this.pos += 1;
        }
        this.pos += 1;
        continue;
      }
      if (c === '"') {
        this.pos += 1;
        quoted = true;
        while (this.pos < text.length) {
          const d = text[this.pos]!;
          if (d === '"') {
            if (text[this.pos + 1] !== '"') break;
            this.pos += 1;
          }
          if (d === '`' && this.pos + 1 < text.length) {
            out += psEscape(text[this.pos + 1]!);
            this.pos += 2;
            continue;
          }
          if (d === '$' && text[this.pos + 1] === '(') {
            const from = this.pos;
            this.pos += 2;
            subs.push({ kind: 'group', list: this.nested(')', depth), at: out.length });
            out += text.slice(from, this.pos);
            continue;
          }
          out += d;
          this.pos += 1;
        }
        this.pos += 1;
        continue;
      }
      if (c === '(' || ((c === '$' || c === '@') && text[this.pos + 1] === '(')) {
        const from = this.pos;
        this.pos += c === '(' ? 1 : 2;
        subs.push({ kind: 'group', list: this.nested(')', depth), at: out.length });
        out += text.slice(from, this.pos);
        continue;
      }
      if (c === '{' || (c === '@' && text[this.pos + 1] === '{') || (c === '$' && text[this.pos + 1] === '{')) {
        const from = this.pos;
        if (c === '$') {
          // `${name}`: a variable, not a block.
          this.pos += 2;
          this.skipBalanced('{', '}', 1);
          out += text.slice(from, this.pos);
          continue;
        }
        this.pos += c === '{' ? 1 : 2;
        subs.push({ kind: 'block', list: this.nested('}', depth), at: out.length });
        out += text.slice(from, this.pos);
        continue;
      }
      out += c;
      this.pos += 1;
    }
    if (this.pos === start) return null;
    return { text: out, start, end: Math.min(this.pos, text.length), subs: subs.length === 0 ? NO_SUBS : subs, quoted };
  }

  private batchWord(): Word | null {
    const { text } = this;
    const start = this.pos;
    let out = '';
    let quoted = false;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (BATCH_WORD_END.has(c)) break;
      if (c === ')' && out === '') break;
      if (c === '^') {
        out += this.escaped();
        continue;
      }
      if (c === '"') {
        const end = text.indexOf('"', this.pos + 1);
        const newline = text.indexOf('\n', this.pos + 1);
        const stop = end === -1 || (newline !== -1 && newline < end) ? (newline === -1 ? text.length : newline) : end;
        out += text.slice(this.pos + 1, stop);
        this.pos = stop === end ? stop + 1 : stop;
        quoted = true;
        continue;
      }
      out += c;
      this.pos += 1;
    }
    if (this.pos === start) return null;
    return { text: out, start, end: this.pos, subs: NO_SUBS, quoted };
  }
}

function psEscape(c: string): string {
  switch (c) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return '\0';
    default:
      return c;
  }
}

/** The value of a `$'…'` string from just after its opening quote, and where it ends. */
function ansiC(text: string, from: number): [string, number] {
  let out = '';
  let at = from;
  while (at < text.length && text[at] !== "'") {
    const c = text[at]!;
    if (c !== '\\') {
      out += c;
      at += 1;
      continue;
    }
    const next = text[at + 1] ?? '';
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
    if (Object.hasOwn(simple, next)) {
      out += simple[next];
      at += 2;
      continue;
    }
    const hex = next === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(text.slice(at + 2, at + 4)) : null;
    if (hex) {
      out += String.fromCharCode(parseInt(hex[0], 16));
      at += 2 + hex[0].length;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(at + 1, at + 4));
    if (octal) {
      out += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
      at += 1 + octal[0].length;
      continue;
    }
    out += next;
    at += 2;
  }
  return [out, Math.min(at + 1, text.length)];
}
