// APIs that start another program, by canonical callee (see CallFact.callee), and how each takes
// its command: a string a shell parses, a program with an argument list, or a path or URL handed
// to the OS opener (which, on Windows, goes through a shell: CVE-2025-6514 in mcp-remote).
// Python's APIs take the program and its arguments as one list (`subprocess.run(["git", "log"])`):
// form `argv-list`; their keyword arguments are the options fact at position 1 (python/extract.ts),
// where `shell=True` makes the list or string a shell command.

export type CommandForm = 'shell' | 'argv' | 'argv-list' | 'opener' | 'node-script';

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
  // Python
  'subprocess.run': { form: 'argv-list', optionsAt: 1 },
  'subprocess.call': { form: 'argv-list', optionsAt: 1 },
  'subprocess.check_call': { form: 'argv-list', optionsAt: 1 },
  'subprocess.check_output': { form: 'argv-list', optionsAt: 1 },
  'subprocess.Popen': { form: 'argv-list', optionsAt: 1 },
  'subprocess.getoutput': { form: 'shell' },
  'subprocess.getstatusoutput': { form: 'shell' },
  'os.system': { form: 'shell' },
  'os.popen': { form: 'shell' },
  'asyncio.create_subprocess_shell': { form: 'shell' },
  'asyncio.create_subprocess_exec': { form: 'argv' },
  'pty.spawn': { form: 'argv-list' },
  'os.execv': { form: 'argv' },
  'os.execve': { form: 'argv' },
  'os.execvp': { form: 'argv' },
  'os.execvpe': { form: 'argv' },
  'os.execl': { form: 'argv' },
  'os.execlp': { form: 'argv' },
  'os.spawnv': { form: 'argv' },
  'os.spawnl': { form: 'argv' },
  'os.spawnlp': { form: 'argv' },
  'os.spawnvp': { form: 'argv' },
  'os.startfile': { form: 'opener' },
  'webbrowser.open': { form: 'opener' },
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

