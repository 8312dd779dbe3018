// The peers' annotated test material, read from checkouts in one folder, as samples: one module of
// code each, with the units that must be caught (`malicious`) and those that must stay quiet (`safe`).
// Only JavaScript, TypeScript and Python files are taken: the languages dxt-audit reads.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { annotations } from './annotations.js';
import { ruleTesterCases } from './eslint-cases.js';

export type Language = 'js' | 'ts' | 'tsx' | 'py';

export interface Unit {
  verdict: 'malicious' | 'safe';
  threat: string;
  /** The 1-based line of the sample the unit is about; none: the whole sample. */
  line?: number;
}

export interface Sample {
  suite: string;
  /** Where the code came from, relative to the suite's checkout (and the case number for RuleTester files). */
  name: string;
  language: Language;
  code: string;
  units: Unit[];
}

export interface Suite {
  name: string;
  /** The checkout's folder name under the folder given to `npm run bench:peers`. */
  folder: string;
  clone: string;
  samples(root: string): Sample[];
}

export const SUITES: readonly Suite[] = [
  { name: 'guarddog', folder: 'guarddog', clone: 'https://github.com/DataDog/guarddog', samples: guarddogSamples },
  { name: 'semgrep-rules', folder: 'semgrep-rules', clone: 'https://github.com/semgrep/semgrep-rules', samples: semgrepSamples },
  { name: 'eslint-plugin-security', folder: 'eslint-plugin-security', clone: 'https://github.com/eslint-community/eslint-plugin-security', samples: eslintSamples },
];

const LANGUAGES: Record<string, Language> = { '.js': 'js', '.cjs': 'js', '.mjs': 'js', '.jsx': 'js', '.ts': 'ts', '.tsx': 'tsx', '.py': 'py' };

function filesUnder(root: string, folder: string): string[] {
  const start = path.join(root, folder);
  if (!existsSync(start)) return [];
  const found: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && LANGUAGES[path.extname(entry.name)] !== undefined) found.push(path.relative(root, full));
    }
  };
  walk(start);
  return found;
}

const read = (root: string, file: string): string => readFileSync(path.join(root, file), 'utf8');
const languageOf = (file: string): Language => LANGUAGES[path.extname(file)]!;

// guarddog: its source-code rules' tests. Annotated files give a unit per `ruleid:`/`ok:` line;
// a malicious file without annotations (its YARA rules match whole files) is one unit, and each
// file under `benign/` one safe unit. Threats are grouped from the rule id or the file name.
const GUARDDOG_THREATS: ReadonlyArray<[RegExp, string]> = [
  [/obfuscation|steganography|unicode|base64|mangling|pyarmor|hidden-code|dynamic-eval|import-aliasing/, 'obfuscation'],
  [/exfiltrat|serialize-environment|environment-read|filesystem-read|passwd/, 'exfiltration'],
  [/clipboard|screenshot|dll-hijacking|cmd-overwrite|keylog|autostart|sysinfo|system-info|self-propagation|cryptomining|hooks/, 'host malware'],
  [/download|shady-links|outbound/, 'download and links'],
  [/code-execution|process-execution|dynamic-loader/, 'execution'],
];

function threatOf(table: ReadonlyArray<[RegExp, string]>, name: string): string | undefined {
  return table.find(([pattern]) => pattern.test(name))?.[1];
}

function guarddogSamples(root: string): Sample[] {
  return filesUnder(root, 'tests/analyzer/sourcecode')
    .filter((file) => !path.basename(file).startsWith('test_'))
    .map((file) => {
      const code = read(root, file);
      const fileThreat = threatOf(GUARDDOG_THREATS, path.basename(file)) ?? 'other';
      const annotated = annotations(code);
      let units: Unit[];
      if (file.includes('/benign/')) units = [{ verdict: 'safe', threat: fileThreat }];
      else if (annotated.length === 0) units = [{ verdict: 'malicious', threat: fileThreat }];
      else units = annotated.map(({ line, verdict, ruleId }) => ({ line, verdict, threat: threatOf(GUARDDOG_THREATS, ruleId) ?? fileThreat }));
      return { suite: 'guarddog', name: file, language: languageOf(file), code, units };
    });
}

// semgrep-rules: the JavaScript, TypeScript and Python tests of its security rules about what
// dxt-audit looks for: running commands and code, file paths, network requests and data leaving.
// SQL injection, XSS, templates, cookies, JWT, crypto and ReDoS rules are out of its scope.
const SEMGREP_THREATS: ReadonlyArray<[RegExp, string]> = [
  [/child-process|spawn|shell|subprocess|os-system|system-call|os-exec|command|deno-dangerous-run|asyncio-(?:create-)?exec|reverse-shell|system-wildcard/, 'commands'],
  [/eval|exec-detected|user-exec|code-execution|code-run|vm-|vm2|sandbox|code-injection|non-literal-require|non-literal-import|code-string-concat|unsafe-dynamic-method|marshal|pickle|deserializ|subinterp|compilescript|tofastproperties|globals-misuse/, 'code'],
  [/path-traversal|path-join|non-literal-fs|sendfile|request-data-write|fileresponse/, 'file paths'],
  [/ssrf|urllib|urlopen|request-object|tainted-url-host|httpsconnection|http-not-https|ftplib|telnetlib|openerdirector|urlretrieve|request-with-http|request-session|data-exfiltration|require-request/, 'network'],
];

function semgrepSamples(root: string): Sample[] {
  return ['javascript', 'typescript', 'python']
    .flatMap((folder) => filesUnder(root, folder))
    .filter((file) => file.split(path.sep).includes('security') && !file.includes('.fixed.'))
    .flatMap((file) => {
      const threat = threatOf(SEMGREP_THREATS, file);
      if (threat === undefined) return [];
      const code = read(root, file);
      const units = annotations(code).map(({ line, verdict }) => ({ line, verdict, threat }));
      return units.length === 0 ? [] : [{ suite: 'semgrep-rules', name: file, language: languageOf(file), code, units }];
    });
}

// eslint-plugin-security: the RuleTester cases of its rules about running commands and code, file
// names and hidden characters, each case one sample (invalid: must be caught; valid: safe). The
// others (ReDoS, timing, Buffer API, object injection, CSRF, Mustache) are out of dxt-audit's scope.
const ESLINT_THREATS: Readonly<Record<string, string>> = {
  'detect-child-process': 'commands',
  'detect-eval-with-expression': 'code',
  'detect-non-literal-require': 'code',
  'detect-non-literal-fs-filename': 'file paths',
  'detect-bidi-characters': 'obfuscation',
};

function eslintSamples(root: string): Sample[] {
  return Object.entries(ESLINT_THREATS).flatMap(([rule, threat]) => {
    const file = path.join('test', 'rules', `${rule}.js`);
    if (!existsSync(path.join(root, file))) return [];
    return ruleTesterCases(read(root, file)).map(({ verdict, code }, index) => ({
      suite: 'eslint-plugin-security',
      name: `${file}#${index + 1}`,
      language: 'js' as const,
      code,
      units: [{ verdict, threat }],
    }));
  });
}
