import { captureOf, type Capture } from '../src/analysis/catalog/host-capture.js';
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
    description: "Server code captures the screen, reads or replaces the clipboard, records keystrokes, reads the browser's cookies, or injects code into another process.",
    remediation:
      'Remove the capture, or make it a tool the user calls on purpose and say so in the tool description; never capture at start-up or on a timer.',
    messages: {
      captures: '{api} {what}{reach}.',
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
        '(`clipboardy`, `pyperclip`, `pandas.read_clipboard`) set off by a tool or a network listener.',
      falsePositives:
        'A screenshot tool is the purpose of some extensions: the finding names the tool, so that the description can be ' +
        'checked against it. First-party code that nothing sets off is low; a dependency that can capture but that nothing ' +
        'sets off is not reported. Methods are matched by module, not by a bare name (`editor.paste()` is not the ' +
        'clipboard), except the unambiguous `to_clipboard`, `clipboard_get` and the Windows function names above, which ' +
        'nothing else is called.',
      references: [
        { title: 'MITRE ATT&CK T1113: Screen Capture', url: 'https://attack.mitre.org/techniques/T1113/' },
        { title: 'MITRE ATT&CK T1115: Clipboard Data', url: 'https://attack.mitre.org/techniques/T1115/' },
        { title: 'MITRE ATT&CK T1056.001: Keylogging', url: 'https://attack.mitre.org/techniques/T1056/001/' },
        { title: 'MITRE ATT&CK T1055: Process Injection', url: 'https://attack.mitre.org/techniques/T1055/' },
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
  },
});
