import { fileApi, operationOf } from '../src/analysis/catalog/filesystem.js';
import { processApi } from '../src/analysis/catalog/processes.js';
import type { CallSite, StringSite } from '../src/analysis/model/code-facts.js';
import { captureOf, loaderVariableSet, NATIVE_LIBRARY, type Capture } from '../src/analysis/catalog/host-capture.js';
import { programDownloads } from '../src/analysis/downloads.js';
import { atCallSite, isReached } from '../src/engine/call-site.js';
import { defineRule } from '../src/engine/rule.js';
import { apiName, triggerPhrase } from '../src/engine/wording.js';
import type { Severity } from '../src/report.js';

// What the user sees, copies and types is what spyware collects: screenshots, the clipboard (where
// passwords and wallet addresses pass; a hijacker swaps a copied address for its own), keystrokes.
// An extension rarely needs any of them, and never without a tool the user asked for. Keystroke
// capture and a read of the browser's cookies (every logged-in session) are high; a screen or clipboard capture medium when a tool or listener sets it off, high
// when it runs as the module loads or on a timer, with nobody asking. Code nothing sets off is low in
// first-party code and not reported in dependencies (a library that can take screenshots).
//
// Library injection and hijacking, the server's own code only: text that sets the dynamic loader's
// injection variables (`LD_PRELOAD=/tmp/x.so prog`, catalog/host-capture.ts) makes the program it
// starts load a library of the code's choosing, medium where something sets the code off, low
// otherwise (a command the code runs is code-shell-exec's to judge, whose catalogue knows these
// variables); a native library (`.so`, `.dll`, `.dylib`) the server writes at run time is planted
// where a program may load it instead of its own, low (written from network data it is
// code-filesystem's download saved as a program, and not repeated here).
const WHAT: Readonly<Record<Capture, string>> = {
  screen: 'captures the screen',
  'clipboard-read': 'reads the clipboard',
  'clipboard-write': 'replaces what is on the clipboard',
  keystrokes: 'records keystrokes',
  'browser-cookies': "reads the browser's saved cookies (the logged-in sessions of every site)",
  'process-injection': "writes into another process's memory or starts a thread in it (process injection)",
};

export default defineRule({
  meta: {
    id: 'code-host-capture',
    category: 'exfiltration',
    severity: 'medium',
    description: "Server code captures the screen, reads or replaces the clipboard, records keystrokes, reads the browser's cookies, injects code into another process, or makes a program load a library of its choosing (LD_PRELOAD, a planted DLL or shared object).",
    remediation:
      'Remove the capture, or make it a tool the user calls on purpose and say so in the tool description; never capture at start-up or on a timer.',
    messages: {
      captures: '{api} {what}{reach}.',
      loaderVariable: 'The code sets {variable} for a program it starts ("{text}"){reach}: that program loads the named library before its own code (library injection).',
      plantsLibrary: '{api} writes a native library ("{path}"){reach}: a file programs load as code, written at run time where a program may pick it up instead of its own (library hijacking).',
    },
    docs: {
      why:
        'What the user sees, copies and types is what spyware collects: screenshots, the clipboard (where passwords and ' +
        'wallet addresses pass; a clipboard hijacker swaps a copied address for its own) and keystrokes; and code injected ' +
        'into another process runs with that process\'s rights and hides among its work. An extension rarely ' +
        'needs any of them. High: keystroke capture (`pynput.keyboard.Listener`, `keyboard.hook`, `iohook`, a Windows hook ' +
        '`SetWindowsHookEx` or polling `GetAsyncKeyState`), a read of the browser\'s saved cookies (`browser_cookie3`, ' +
        '`browsercookie`, `pycookiecheat`, `chrome-cookies-secure`: decrypted, they are the logged-in sessions of every ' +
        'site, and what a stealer sends first; what they return is followed as file contents, so sending it is also ' +
        '`code-exfiltration`\'s), process injection (`VirtualAllocEx`, `WriteProcessMemory`, ' +
        '`CreateRemoteThread`, `QueueUserAPC` through ctypes, ffi-napi or koffi), and a screen ' +
        'or clipboard capture that runs as the module loads or on a timer, with nobody asking. Medium: a screen capture ' +
        '(`screenshot-desktop`, `PIL.ImageGrab.grab`, `pyautogui.screenshot`, `mss`) or a clipboard read or write ' +
        '(`clipboardy`, `pyperclip`, `pandas.read_clipboard`) set off by a tool or a network listener; in the server\'s own ' +
        'code, text that sets the dynamic loader\'s injection variables for a program it starts (`LD_PRELOAD=/tmp/x.so prog`, ' +
        '`LD_AUDIT`, macOS\'s `DYLD_INSERT_LIBRARIES`, also written as a key and value in code handed to an interpreter), so ' +
        'that the program loads a library of the code\'s choosing first (low when nothing sets that code off). Low: a ' +
        'native library (`.so`, `.dll`, `.dylib`) the server\'s own code writes at run time, planted where a program may ' +
        'load it instead of its own (DLL or shared-object hijacking); one written from network data is `code-filesystem`\'s ' +
        'download saved as a program.',
      falsePositives:
        'A screenshot tool is the purpose of some extensions: the finding names the tool, so that the description can be ' +
        'checked against it. First-party code that nothing sets off is low; a dependency that can capture but that nothing ' +
        'sets off is not reported. Methods are matched by module, not by a bare name (`editor.paste()` is not the ' +
        'clipboard), except the unambiguous `to_clipboard`, `clipboard_get` and the Windows function names above, which ' +
        'nothing else is called. A loader variable named without a value (hardening code that removes `LD_PRELOAD` from a ' +
        'child\'s environment) sets nothing, and dependencies are not read for it; a library written under another name, or ' +
        'a variable set through an environment object (`{ LD_PRELOAD: lib }`), is not recognised.',
      references: [
        { title: 'MITRE ATT&CK T1113: Screen Capture', url: 'https://attack.mitre.org/techniques/T1113/' },
        { title: 'MITRE ATT&CK T1115: Clipboard Data', url: 'https://attack.mitre.org/techniques/T1115/' },
        { title: 'MITRE ATT&CK T1056.001: Keylogging', url: 'https://attack.mitre.org/techniques/T1056/001/' },
        { title: 'MITRE ATT&CK T1055: Process Injection', url: 'https://attack.mitre.org/techniques/T1055/' },
        { title: 'MITRE ATT&CK T1574.006: Hijack Execution Flow: Dynamic Linker Hijacking', url: 'https://attack.mitre.org/techniques/T1574/006/' },
        { title: 'MITRE ATT&CK T1574.001: Hijack Execution Flow: DLL Search Order Hijacking', url: 'https://attack.mitre.org/techniques/T1574/001/' },
      ],
    },
  },
  check({ code }, context) {
    for (const call of code.calls) {
      const capture = captureOf(call.callee);
      if (capture === null) continue;
      const reached = isReached(call);
      if (!reached && call.origin !== 'first-party') continue;
      const unattended = call.triggers.some((trigger) => trigger.kind === 'load' || trigger.kind === 'timer');
      const severity: Severity = !reached ? 'low' : capture === 'keystrokes' || capture === 'browser-cookies' || capture === 'process-injection' || unattended ? 'high' : 'medium';
      context.report({
        messageId: 'captures',
        data: { api: apiName(call.callee, call.excerpt), what: WHAT[capture], reach: triggerPhrase(call.triggers) },
        severity,
        ...atCallSite(call),
      });
    }
    for (const site of code.strings) {
      const variable = site.kind === 'library-injection' && site.origin === 'first-party' ? loaderVariableSet(site.value) : undefined;
      // A command the code runs is judged whole by code-shell-exec, whose catalogue knows `VAR=value` settings.
      if (variable === undefined || (site.value.includes(`${variable}=`) && runAsCommand(site, code.calls))) continue;
      context.report({
        messageId: 'loaderVariable',
        data: { variable, text: excerptAround(site.value, variable), reach: triggerPhrase(site.triggers) },
        severity: site.triggers.length > 0 ? 'medium' : 'low',
        location: { file: site.file, line: site.line, column: site.column },
        origin: site.origin,
        tools: site.tools,
      });
    }
    const downloaded = new Set(programDownloads(code.calls).map(({ write }) => write));
    for (const call of code.calls) {
      if (call.origin !== 'first-party' || downloaded.has(call)) continue;
      const api = fileApi(call.callee);
      if (api === null || operationOf(api, call.args, call.excerpt) !== 'write') continue;
      const path = call.args[api.pathArgs[0]!]?.literal;
      if (path === undefined || !NATIVE_LIBRARY.test(path)) continue;
      context.report({
        messageId: 'plantsLibrary',
        data: { api: apiName(call.callee, call.excerpt), path, reach: triggerPhrase(call.triggers) },
        severity: 'low',
        ...atCallSite(call),
      });
    }
  },
});

/** The string is (part of) the command a call in its file starts: `execFile('sh', ['-c', 'LD_PRELOAD=… prog'])`. */
function runAsCommand(site: StringSite, calls: readonly CallSite[]): boolean {
  const head = site.value.slice(0, 60);
  return calls.some(
    (call) => call.file === site.file && processApi(call.callee) !== null && call.args.some((arg) => arg.literal?.includes(head) || arg.elements?.some((element) => element.literal?.includes(head))),
  );
}

/** The setting with a little of the text around it, on one line. */
function excerptAround(text: string, variable: string): string {
  const at = text.indexOf(variable);
  const start = Math.max(0, at - 20);
  const end = Math.min(text.length, at + variable.length + 40);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ')}${end < text.length ? '…' : ''}`;
}
