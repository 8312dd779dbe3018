// APIs that start another program, by canonical callee (see CallFact.callee), and how each takes
// its command: a string a shell parses, a program with an argument list, or a path or URL handed
// to the OS opener (which, on Windows, goes through a shell: CVE-2025-6514 in mcp-remote).
// Python's APIs take the program and its arguments as one list (`subprocess.run(["git", "log"])`):
// form `argv-list`; their keyword arguments are the options fact at position 1 (python/extract.ts),
// where `shell=True` makes the list or string a shell command.

export type CommandForm = 'shell' | 'argv' | 'argv-list' | 'opener' | 'node-script';

import type { CallSite } from '../model/code-facts.js';

export interface ProcessApi {
  form: CommandForm;
  /** Where the command starts, when arguments come before it (os.spawn*'s mode, an event loop's protocol factory). */
  commandAt?: number;
  /** Index of the options argument, where `shell: true` turns an argv call into a shell string. */
  optionsAt?: number;
  /**
   * Python's exec and spawn family take the program's own name as the first argument after its path
   * (`os.execv("/bin/sh", ["sh", "-c", cmd])`, `os.execl("/bin/sh", "sh", "-c", cmd)`): in the list,
   * or as the next argument (`variadic`). It is no argument the program parses.
   */
  argvZero?: 'list' | 'variadic';
  /** The command runs on another host, over SSH: not this machine's shell. */
  remote?: true;
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
  'os.execv': { form: 'argv', argvZero: 'list' },
  'os.execve': { form: 'argv', argvZero: 'list' },
  'os.execvp': { form: 'argv', argvZero: 'list' },
  'os.execvpe': { form: 'argv', argvZero: 'list' },
  'os.execl': { form: 'argv', argvZero: 'variadic' },
  'os.execlp': { form: 'argv', argvZero: 'variadic' },
  'os.spawnv': { form: 'argv', commandAt: 1, argvZero: 'list' },
  'os.spawnl': { form: 'argv', commandAt: 1, argvZero: 'variadic' },
  'os.spawnlp': { form: 'argv', commandAt: 1, argvZero: 'variadic' },
  'os.spawnvp': { form: 'argv', commandAt: 1, argvZero: 'list' },
  'os.spawnle': { form: 'argv', commandAt: 1, argvZero: 'variadic' },
  'os.spawnlpe': { form: 'argv', commandAt: 1, argvZero: 'variadic' },
  'os.spawnve': { form: 'argv', commandAt: 1, argvZero: 'list' },
  'os.spawnvpe': { form: 'argv', commandAt: 1, argvZero: 'list' },
  'os.execle': { form: 'argv', argvZero: 'variadic' },
  'os.execlpe': { form: 'argv', argvZero: 'variadic' },
  'os.posix_spawn': { form: 'argv', argvZero: 'list' },
  'os.posix_spawnp': { form: 'argv', argvZero: 'list' },
  // Python 2's shell pipes, still found in copied code.
  'os.popen2': { form: 'shell' },
  'os.popen3': { form: 'shell' },
  'os.popen4': { form: 'shell' },
  'popen2.popen2': { form: 'shell' },
  'popen2.popen3': { form: 'shell' },
  'popen2.popen4': { form: 'shell' },
  'commands.getoutput': { form: 'shell' },
  'commands.getstatusoutput': { form: 'shell' },
  'asyncio.subprocess.create_subprocess_shell': { form: 'shell' },
  'asyncio.subprocess.create_subprocess_exec': { form: 'argv' },
  // An event loop's own, `loop.subprocess_shell(protocol_factory, cmd)`: by the loop's type when it is
  // known (asyncio.get_running_loop(); the loop itself is then argument 0), else by the method's name,
  // which nothing else uses.
  'member:subprocess_shell': { form: 'shell', commandAt: 1 },
  'asyncio.AbstractEventLoop.subprocess_shell': { form: 'shell', commandAt: 2 },
  'asyncio.AbstractEventLoop.subprocess_exec': { form: 'argv', commandAt: 2 },
  'member:subprocess_exec': { form: 'argv', commandAt: 1 },
  'os.startfile': { form: 'opener' },
  'webbrowser.open': { form: 'opener' },
  // paramiko's SSH client (its instance is argument 0): a command line the remote host's shell runs,
  // with the keys the user gave the extension.
  'paramiko.SSHClient.exec_command': { form: 'shell', commandAt: 1, remote: true },
  'paramiko.client.SSHClient.exec_command': { form: 'shell', commandAt: 1, remote: true },
};

export function processApi(callee: string): ProcessApi | null {
  return APIS[callee] ?? null;
}

/**
 * The call as its API takes the command: the arguments before `commandAt` dropped, and the
 * program's own name (argvZero) left out of its arguments, positions renumbered.
 */
export function commandCall(call: CallSite, api: ProcessApi): CallSite {
  const skip = api.commandAt ?? 0;
  const listsArgvZero = api.argvZero === 'list' && call.args[skip + 1]?.elements !== undefined;
  const dropsArgvZero = api.argvZero === 'variadic' && call.args.length > skip + 1 && !call.args[skip + 1]!.keywords;
  if (skip === 0 && !listsArgvZero && !dropsArgvZero) return call;
  let args = call.args.slice(skip);
  if (listsArgvZero) args = [args[0]!, { ...args[1]!, elements: args[1]!.elements!.slice(1) }, ...args.slice(2)];
  if (dropsArgvZero) args = [args[0]!, ...args.slice(2)];
  // An original position as the command's: none before `commandAt`, nor for a variadic argv[0].
  const positionOf = (original: number): number | null => {
    const at = original - skip;
    if (at < 0 || (dropsArgvZero && at === 1)) return null;
    return dropsArgvZero && at > 1 ? at - 1 : at;
  };
  const shift = (positions: readonly number[]) => positions.flatMap((original) => {
    const at = positionOf(original);
    return at === null ? [] : [at];
  });
  return {
    ...call,
    args,
    taintedArgs: shift(call.taintedArgs),
    checkedArgs: shift(call.checkedArgs),
    ...(call.allowedArgs === undefined ? {} : { allowedArgs: shift(call.allowedArgs) }),
  };
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


/**
 * Programs no option of which runs code, loads a script or writes a file: network probes and
 * printers of facts about the machine. Input that is one of their arguments can add an option (a
 * leading `-`: `ping -f` floods) but can make them do nothing worse; `git --output=…`, `make --eval`,
 * `ssh -oProxyCommand=…`, `tar --checkpoint-action`, `find -exec`, `rsync -e` can, and are not here.
 * `date -f`, `dig -f` and `hostname -F` read a file: not here either.
 */
const INERT_OPTIONS: ReadonlySet<string> = new Set([
  'ping', 'ping6', 'traceroute', 'traceroute6', 'tracepath', 'tracert', 'whois', 'host', 'nslookup', 'echo', 'which', 'whoami', 'uname', 'id',
]);

/** A program named (`/bin/ping`, `ping.exe`) whose options can do no harm (see INERT_OPTIONS). */
export function hasInertOptions(program: string): boolean {
  const name = program.replace(/^.*[\\/]/, '').replace(/\.exe$/i, '').toLowerCase();
  return INERT_OPTIONS.has(name);
}
