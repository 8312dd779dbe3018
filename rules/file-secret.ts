import type { Origin } from '../src/analysis/model/origin.js';
import { defineRule } from '../src/engine/rule.js';
import { looksSecret } from '../src/engine/secret-names.js';
import type { Severity } from '../src/report.js';
import { pushAll } from '../src/common.js';

// A credential shipped inside a bundle is readable by everyone who downloads it: at best the
// publisher leaked a key, at worst every user's server runs on the publisher's account (and sends
// their data through it). Only formats with a distinctive prefix and length are matched, plus
// PEM private keys with a body, `.npmrc` auth entries and `.env` values for names that look like
// secrets; no entropy guessing. Severity: high in first-party files; low under node_modules (or
// site-packages), where test fixtures and docs routinely hold example keys; medium for a `.env`
// value whose shape proves nothing (low in `.env.example` and similar templates). Known placeholders
// are skipped. Nothing of a secret's random part ever reaches the report: messages and evidence
// carry its kind, its fixed prefix and its length.
//
// Cost: every text file is decoded and scanned once by one regular expression whose alternatives
// all start with a literal and repeat only bounded character classes, behind a look-behind that
// allows a match only where a token starts, so the scan stays linear even on minified files.

/** A file whose first KB holds a NUL byte is binary and not scanned. */
const BINARY_PROBE_BYTES = 1024;
/** Findings per file: past this, one more adds nothing to the decision. */
export const MAX_FINDINGS_PER_FILE = 5;

interface TokenKind {
  label: string;
  /** The fixed, non-secret start shown in place of the value. */
  prefix: (value: string) => string;
}

const fixed = (length: number) => (value: string) => value.slice(0, length);
const GITHUB_LABELS: Readonly<Record<string, string>> = {
  p: 'a GitHub personal access token',
  o: 'a GitHub OAuth access token',
  u: 'a GitHub user-to-server token',
  s: 'a GitHub server-to-server token',
  r: 'a GitHub refresh token',
};

// One alternative per kind, in this order; each captures the whole value in its own group.
const START = '(?<![A-Za-z0-9_-])';
const END = '(?![A-Za-z0-9_-])';
const KINDS: ReadonlyArray<{ source: string; kind: (value: string) => TokenKind }> = [
  // PEM blocks are judged apart (a body must follow, see PEM_BODY); their group holds the key type.
  { source: '-----BEGIN ((?:[A-Z0-9]{1,20} ){0,3})PRIVATE KEY(?: BLOCK)?-----', kind: () => ({ label: 'a private key', prefix: () => '' }) },
  { source: `${START}((?:AKIA|ASIA)[A-Z0-9]{16})${END}`, kind: (v) => ({ label: v.startsWith('ASIA') ? 'a temporary AWS access key id' : 'an AWS access key id', prefix: fixed(4) }) },
  { source: `${START}(gh[pousr]_[A-Za-z0-9]{36,251})${END}`, kind: (v) => ({ label: GITHUB_LABELS[v[2]!]!, prefix: fixed(4) }) },
  { source: `${START}(github_pat_[A-Za-z0-9_]{50,240})${END}`, kind: () => ({ label: 'a GitHub fine-grained personal access token', prefix: fixed(11) }) },
  { source: `${START}(xox[abprs]-[A-Za-z0-9-]{10,250})${END}`, kind: () => ({ label: 'a Slack token', prefix: fixed(5) }) },
  { source: `${START}((?:sk|rk)_live_[A-Za-z0-9]{20,247})${END}`, kind: (v) => ({ label: v.startsWith('rk') ? 'a Stripe live restricted key' : 'a Stripe live secret key', prefix: fixed(8) }) },
  { source: `${START}(AIza[A-Za-z0-9_-]{35})${END}`, kind: () => ({ label: 'a Google API key', prefix: fixed(4) }) },
  { source: `${START}(sk-ant-[A-Za-z0-9_-]{32,250})${END}`, kind: () => ({ label: 'an Anthropic API key', prefix: fixed(7) }) },
  { source: `${START}(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250})${END}`, kind: (v) => ({ label: 'an OpenAI API key', prefix: fixed(v.indexOf('-', 3) + 1) }) },
  { source: `${START}(sk-[A-Za-z0-9]{48})${END}`, kind: () => ({ label: 'an OpenAI API key', prefix: fixed(3) }) },
  { source: `${START}(npm_[A-Za-z0-9]{36})${END}`, kind: () => ({ label: 'an npm access token', prefix: fixed(4) }) },
];
const PEM_GROUP = 1;
const TOKEN_PATTERN = new RegExp(KINDS.map(({ source }) => source).join('|'), 'g');
// The PEM alternative has one inner group (the key type); every other has exactly one.
const GROUP_OF_KIND = KINDS.map((_, index) => (index === 0 ? PEM_GROUP : index + 1));

// After a PEM header: optional string-literal glue (`\n`, quotes, `+`), RFC 1421 headers
// (Proc-Type, DEK-Info, PGP's Version), then at least 40 base64 characters. A header alone is a
// constant in crypto code, not a key.
const PEM_BODY = /^(?:\s|\\[nr]|["'`+,]){0,40}(?:[A-Za-z-]{1,40}: [^\n\\]{0,200}(?:\s|\\[nr]){1,4}){0,4}(?:\s|\\[nr]){0,8}([A-Za-z0-9+/]{40})/;

// Lower-case, upper-case or capitalised, never mixed: random text holds `tESt` about once in 2,500 tokens.
const PLACEHOLDER_WORDS = new RegExp(
  ['example', 'xxxx', 'your', 'placeholder', 'dummy', 'sample', 'fake', 'redacted', 'changeme', 'replace', 'insert', 'test', 'demo', 'mock']
    .flatMap((word) => [word, word.toUpperCase(), `${word[0]!.toUpperCase()}${word.slice(1)}`])
    .join('|'),
);

/**
 * Whether the random part of a credential is a stand-in: a placeholder word, too few distinct
 * characters (`AAAA…`, `0000…`, `abab…`), or a run of six consecutive characters (`123456`, `abcdef`).
 */
export function looksPlaceholder(random: string): boolean {
  if (PLACEHOLDER_WORDS.test(random)) return true;
  if (new Set(random).size < 6) return true;
  let run = 1;
  for (let i = 1; i < random.length; i++) {
    const step = random.charCodeAt(i) - random.charCodeAt(i - 1);
    run = step === 1 || step === -1 ? (random.charCodeAt(i - 1) - random.charCodeAt(i - 2) === step ? run + 1 : 2) : 1;
    if (run >= 6) return true;
  }
  return false;
}

// `.env` and `.npmrc` values that only point at a secret kept elsewhere, or say nothing.
const GENERIC_PLACEHOLDERS: ReadonlySet<string> = new Set([
  'password', 'secret', 'changeme', 'admin', 'root', 'none', 'null', 'nil', 'true', 'false', 'undefined', 'todo', 'tbd', 'required', 'optional',
]);

function genericPlaceholder(value: string): boolean {
  const lower = value.toLowerCase();
  return (
    GENERIC_PLACEHOLDERS.has(lower) ||
    /^[$%]|\$\{|\{\{|<|>|\.\.\.|…|\*\*\*|^\d+$/.test(value) ||
    PLACEHOLDER_WORDS.test(value) ||
    new Set(value).size < 4
  );
}

export interface SecretHit {
  /** UTF-16 offset of the value in the decoded text. */
  index: number;
  value: string;
  label: string;
  /** What stands for the value in the report: fixed prefix and length, never its random part. */
  redacted: string;
  /** `token`: a distinctive shape; `pem`: a private key block; `generic`: a `.env` value whose shape proves nothing. */
  form: 'token' | 'pem' | 'generic';
}

function redact(prefix: string, value: string): string {
  return `${prefix}… (${value.length} characters)`;
}

/** Credentials with a distinctive shape in `text`, placeholders skipped, at most `limit` distinct values. */
export function findTokens(text: string, limit = MAX_FINDINGS_PER_FILE): SecretHit[] {
  const hits: SecretHit[] = [];
  const seen = new Set<string>();
  TOKEN_PATTERN.lastIndex = 0;
  for (let match = TOKEN_PATTERN.exec(text); match !== null && hits.length < limit; match = TOKEN_PATTERN.exec(text)) {
    if (match[0].startsWith('-----BEGIN')) {
      // Not deduplicated: keys of one type share their first bytes (the ASN.1 header).
      const body = PEM_BODY.exec(text.slice(TOKEN_PATTERN.lastIndex, TOKEN_PATTERN.lastIndex + 600));
      if (!body || looksPlaceholder(body[1]!)) continue;
      const type = (match[PEM_GROUP] ?? '').trim();
      const label = type === '' ? 'a private key (PEM)' : `a private key (PEM, ${type})`;
      hits.push({ index: match.index, value: body[1]!, label, redacted: `-----BEGIN ${type === '' ? '' : `${type} `}PRIVATE KEY----- … (body not shown)`, form: 'pem' });
      continue;
    }
    const kindIndex = GROUP_OF_KIND.findIndex((group) => match![group] !== undefined);
    const value = match[GROUP_OF_KIND[kindIndex]!]!;
    const kind = KINDS[kindIndex]!.kind(value);
    const prefix = kind.prefix(value);
    if (seen.has(value) || looksPlaceholder(value.slice(prefix.length))) continue;
    seen.add(value);
    hits.push({ index: match.index, value, label: kind.label, redacted: redact(prefix, value), form: 'token' });
  }
  return hits;
}

const ENV_LINE = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]{0,200})[ \t]*=[ \t]*(.*)$/;
const NPMRC_LINE = /^[ \t]*(?:\/\/[^\s=]{0,500}:)?(_authToken|_auth|_password)[ \t]*=[ \t]*(.*)$/;

/** The value of an assignment, unquoted, with its offset in the line; unquoted values lose a trailing ` # comment`. */
function assignedValue(raw: string, at: number): { value: string; at: number } {
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.length > 1) {
    const end = raw.indexOf(quote, 1);
    return { value: raw.slice(1, end === -1 ? undefined : end), at: at + 1 };
  }
  const comment = raw.search(/\s#/);
  return { value: (comment === -1 ? raw : raw.slice(0, comment)).trim(), at };
}

/** Lines of `text` with their offsets, for line-oriented config files. */
function* linesOf(text: string): Generator<{ line: string; at: number }> {
  let at = 0;
  while (at <= text.length) {
    const end = text.indexOf('\n', at);
    const stop = end === -1 ? text.length : end;
    yield { line: text.slice(at, stop).replace(/\r$/, ''), at };
    if (end === -1) return;
    at = end + 1;
  }
}

/** `.env` assignments to names that look like secrets, with a value that is not a placeholder. */
export function findEnvValues(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const { line, at } of linesOf(text)) {
    const match = ENV_LINE.exec(line);
    if (!match || !looksSecret(match[1]!)) continue;
    const { value, at: valueAt } = assignedValue(match[2]!, at + line.length - match[2]!.length);
    // Shorter values are defaults and flags far more often than credentials.
    if (value.length < 8 || genericPlaceholder(value)) continue;
    hits.push({ index: valueAt, value, label: `a value for ${match[1]}`, redacted: redact('', value), form: 'generic' });
  }
  return hits;
}

/** `.npmrc` credentials (`_authToken`, `_auth`, `_password`) that are not `${ENV}` references. */
export function findNpmrcValues(text: string): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const { line, at } of linesOf(text)) {
    const match = NPMRC_LINE.exec(line);
    if (!match) continue;
    const { value, at: valueAt } = assignedValue(match[2]!, at + line.length - match[2]!.length);
    if (value === '' || genericPlaceholder(value)) continue;
    const prefix = value.startsWith('npm_') ? 'npm_' : '';
    hits.push({ index: valueAt, value, label: `an npm registry credential (${match[1]})`, redacted: redact(prefix, value), form: 'token' });
  }
  return hits;
}

const ENV_TEMPLATE = /(?:^|[.-])(?:example|sample|template|dist|defaults?|schema|tpl)(?:\.|$)/i;

function fileKind(path: string): 'env' | 'env-template' | 'npmrc' | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.npmrc') return 'npmrc';
  if (name === '.env' || name.startsWith('.env.') || name.endsWith('.env')) return ENV_TEMPLATE.test(name.replace(/^\.env/, '')) ? 'env-template' : 'env';
  return null;
}

/** 1-based line and UTF-16 column of each offset (ascending), in one pass. */
function positions(text: string, offsets: readonly number[]): Array<{ line: number; column: number }> {
  const result: Array<{ line: number; column: number }> = [];
  let line = 1;
  let lineStart = 0;
  for (const offset of offsets) {
    for (let next = text.indexOf('\n', lineStart); next !== -1 && next < offset; next = text.indexOf('\n', lineStart)) {
      line += 1;
      lineStart = next + 1;
    }
    result.push({ line, column: offset - lineStart + 1 });
  }
  return result;
}

const TOKEN_CHAR = /[A-Za-z0-9_+/=-]/;
// Runs this long with a letter and a digit could be another credential; context shows them as `…`.
const MASKED_RUN = /[A-Za-z0-9_+/=-]{12,}/g;

/** Up to 40 characters of the line before the value, anything credential-like masked, then the redacted value. */
export function evidenceFor(text: string, index: number, redacted: string): string {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  let from = Math.max(lineStart, index - 40);
  // Never start inside a run of token characters: it could be the tail of another secret.
  while (from > lineStart && from < index && TOKEN_CHAR.test(text[from - 1]!) && TOKEN_CHAR.test(text[from]!)) from += 1;
  const context = text
    .slice(from, index)
    .replace(MASKED_RUN, (run) => (/[0-9]/.test(run) && /[A-Za-z]/.test(run) ? '…' : run))
    .trimStart();
  return `${from > lineStart ? '…' : ''}${context}${redacted}`;
}

function severityOf(hit: SecretHit, origin: Origin, kind: ReturnType<typeof fileKind>): Severity {
  if (origin === 'dependency') return 'low';
  if (hit.form !== 'generic') return 'high';
  return kind === 'env-template' ? 'low' : 'medium';
}

export default defineRule({
  meta: {
    id: 'file-secret',
    category: 'secret',
    severity: 'high',
    description:
      'A file in the bundle holds what looks like a credential: a private key, a cloud, GitHub, Slack, Stripe, Google, OpenAI, Anthropic or npm token, an .npmrc auth entry, or a secret-named .env value.',
    remediation:
      'Ask the publisher to revoke the credential and ship a bundle without it (users should supply their own through a sensitive user_config option); do not rely on a bundle that runs on someone else\'s key.',
    messages: {
      token: 'File "{file}" contains what looks like {label}: {redacted}.',
      pem: 'File "{file}" contains {label}: {redacted}.',
      generic: '"{file}" sets {label}: {redacted}; a shipped .env file puts it on every machine that installs the bundle.',
      more: 'File "{file}" holds more credential-like values than the {shown} listed; they were not examined further.',
    },
    docs: {
      why:
        "A credential shipped inside a bundle is readable by everyone who downloads it: at best the publisher leaked a key, at " +
        "worst every user's server runs on the publisher's account and sends their data through it. High in first-party files " +
        "for formats with a distinctive prefix and length (AWS access key ids, GitHub, Slack, Stripe live, Google, OpenAI, " +
        "Anthropic and npm tokens) and for PEM or OpenSSH private keys with a body. Medium for a secret-named value in a " +
        "shipped `.env` (its shape proves nothing, but the file puts it on every machine), low in `.env.example` and similar " +
        "templates. Low under `node_modules` or `site-packages`, where test fixtures and docs routinely hold example keys. " +
        "Nothing of the secret's random part reaches the report: only its kind, fixed prefix and length.",
      falsePositives:
        'No entropy guessing: only the formats above, `.npmrc` auth entries with a literal value, and `.env` values whose ' +
        'names look like secrets. Known placeholders are skipped: the AWS documentation key, values containing words such as ' +
        '`example`, `your`, `dummy`, `test` or `xxxx`, too few distinct characters, or runs such as `123456`; a PEM header ' +
        'with no key body after it (crypto code that checks for one); an `.npmrc` token read from the environment ' +
        '(`${NPM_TOKEN}`); and binary files (the `valid` example has them all). A real-looking test key in your own fixtures ' +
        'is reported high; if it is not a live credential, move it under a test folder the bundle does not ship. At most five ' +
        'findings per file are listed, then one info finding says more were not examined.',
      references: [
        { title: 'CWE-798: Use of Hard-coded Credentials', url: 'https://cwe.mitre.org/data/definitions/798.html' },
        { title: 'CWE-540: Inclusion of Sensitive Information in Source Code', url: 'https://cwe.mitre.org/data/definitions/540.html' },
        { title: 'MITRE ATT&CK T1552.001: Unsecured Credentials: Credentials In Files', url: 'https://attack.mitre.org/techniques/T1552/001/' },
      ],
    },
  },
  check(facts, context) {
    const { originOf } = facts;
    for (const file of facts.container.files.values()) {
      if (file.bytes.subarray(0, BINARY_PROBE_BYTES).includes(0)) continue;
      const buffer = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
      const kind = fileKind(file.path);
      // Every pattern is ASCII and so is every character it may border on, so scanning the bytes as
      // Latin-1 (one char per byte, about three times faster to decode) finds exactly what UTF-8
      // would. The rare file with a hit is decoded again as UTF-8 for true columns and excerpts.
      let hits = findTokens(buffer.toString('latin1'), MAX_FINDINGS_PER_FILE + 1);
      if (hits.length === 0 && kind === null) continue;
      const text = buffer.toString('utf8');
      if (hits.length > 0) hits = findTokens(text, MAX_FINDINGS_PER_FILE + 1);
      if (kind !== null) {
        const known = new Set(hits.map((hit) => hit.value));
        const extra = kind === 'npmrc' ? findNpmrcValues(text) : findEnvValues(text);
        // A value already matched by its shape is reported once, as that shape.
        pushAll(hits, extra.filter((hit) => !known.has(hit.value) && ![...known].some((value) => hit.value.includes(value))));
      }
      if (hits.length === 0) continue;
      hits.sort((a, b) => a.index - b.index);
      const kept = hits.slice(0, MAX_FINDINGS_PER_FILE);
      const origin = originOf(file.path);
      const places = positions(text, kept.map((hit) => hit.index));
      kept.forEach((hit, index) => {
        const location = { file: file.path, ...places[index]! };
        const data = { file: file.path, label: hit.label, redacted: hit.redacted };
        const severity = severityOf(hit, origin, kind);
        const evidence = evidenceFor(text, hit.index, hit.redacted);
        context.report({ messageId: hit.form, data, location, severity, origin, evidence });
      });
      if (hits.length > kept.length) {
        const last = places.at(-1)!;
        context.report({ messageId: 'more', data: { file: file.path, shown: kept.length }, location: { file: file.path, ...last }, severity: 'info', origin });
      }
    }
  },
});
