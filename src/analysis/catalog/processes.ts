// APIs that start another program, by canonical callee (see CallFact.callee), and how each takes
// its command: a string a shell parses, a program with an argument list, or a path or URL handed
// to the OS opener (which, on Windows, goes through a shell: CVE-2025-6514 in mcp-remote).

export type CommandForm = 'shell' | 'argv' | 'opener' | 'node-script';

export interface ProcessApi {
  form: CommandForm;
  /** Index of the options argument, where `shell: true` turns an argv call into a shell string. */
  optionsAt?: number;
}

const APIS: Readonly<Record<string, ProcessApi>> = {
  'child_process.exec': { form: 'shell' },
  'child_process.execSync': { form: 'shell' },
  'child_process.spawn': { form: 'argv', optionsAt: 2 },
  'child_process.spawnSync': { form: 'argv', optionsAt: 2 },
  'child_process.execFile': { form: 'argv', optionsAt: 2 },
  'child_process.execFileSync': { form: 'argv', optionsAt: 2 },
  'child_process.fork': { form: 'node-script' },
  execa: { form: 'argv', optionsAt: 2 },
  'execa.execa': { form: 'argv', optionsAt: 2 },
  'execa.execaSync': { form: 'argv', optionsAt: 2 },
  'execa.execaCommand': { form: 'shell' },
  'execa.execaCommandSync': { form: 'shell' },
  'execa.$': { form: 'shell' },
  'cross-spawn': { form: 'argv', optionsAt: 2 },
  'cross-spawn.sync': { form: 'argv', optionsAt: 2 },
  'cross-spawn.spawn': { form: 'argv', optionsAt: 2 },
  'shelljs.exec': { form: 'shell' },
  open: { form: 'opener' },
  'open.openApp': { form: 'opener' },
  'node-pty.spawn': { form: 'argv' },
};

export function processApi(callee: string): ProcessApi | null {
  return APIS[callee] ?? null;
}

/** Programs whose next arguments are themselves a command line: `sh -c`, `cmd /c`, `powershell -Command`, `osascript -e`. */
const WRAPPERS: ReadonlyArray<{ program: RegExp; flag: RegExp }> = [
  { program: /^(?:.*\/)?(?:ba|z|da|k|fi)?sh$/, flag: /^-\w*c\w*$/ },
  { program: /^(?:.*\\)?cmd(?:\.exe)?$/i, flag: /^\/[ck]$/i },
  { program: /^(?:.*\\)?(?:powershell|pwsh)(?:\.exe)?$/i, flag: /^-(?:c|command|encodedcommand|e|ec)$/i },
  { program: /^(?:.*\/)?osascript$/, flag: /^-e$/ },
];

/** The shell a program name is, when it runs the following argument as a script. */
export function isCommandWrapper(program: string, flag: string | undefined): boolean {
  return flag !== undefined && WRAPPERS.some((wrapper) => wrapper.program.test(program) && wrapper.flag.test(flag));
}

