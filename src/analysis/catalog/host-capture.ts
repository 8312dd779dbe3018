// APIs that capture what the user sees, copies or types: the screen, the clipboard, the keyboard;
// the browser's saved cookies (every site's session, decrypted: what stealers take first); and
// those that inject code into another process (its memory written, a thread started in it).
// Spyware and wallet stealers are built on them (a clipboard hijacker swaps a copied wallet address
// for the attacker's); an extension rarely needs one. By canonical callee (see CallFact.callee), in
// JavaScript and Python alike. A method on an object whose type is not known counts only when its
// name says nothing else (`to_clipboard`, `clipboard_get`).

export type Capture = 'screen' | 'clipboard-read' | 'clipboard-write' | 'keystrokes' | 'browser-cookies' | 'process-injection';

/** Python packages that read and decrypt the browsers' cookie stores, one function per browser. */
const PY_COOKIE_READERS: Readonly<Record<string, readonly string[]>> = {
  browser_cookie3: ['load', 'chrome', 'chromium', 'firefox', 'librewolf', 'edge', 'brave', 'opera', 'opera_gx', 'safari', 'vivaldi', 'arc'],
  browsercookie: ['load', 'chrome', 'firefox'],
  pycookiecheat: ['chrome_cookies', 'firefox_cookies', 'BrowserType'],
};

const CAPTURES: Readonly<Record<string, Capture>> = {
  // Screen
  'screenshot-desktop': 'screen',
  'screenshot-desktop.all': 'screen',
  'node-screenshots.Monitor.all': 'screen',
  'electron.desktopCapturer.getSources': 'screen',
  'PIL.ImageGrab.grab': 'screen',
  'pyscreenshot.grab': 'screen',
  'pyautogui.screenshot': 'screen',
  'pyscreeze.screenshot': 'screen',
  'mss.mss': 'screen',
  'mss.mss.grab': 'screen',
  'd3dshot.create': 'screen',
  // Clipboard
  'clipboardy.read': 'clipboard-read',
  'clipboardy.readSync': 'clipboard-read',
  'clipboardy.write': 'clipboard-write',
  'clipboardy.writeSync': 'clipboard-write',
  'copy-paste.paste': 'clipboard-read',
  'copy-paste.copy': 'clipboard-write',
  'electron.clipboard.readText': 'clipboard-read',
  'electron.clipboard.writeText': 'clipboard-write',
  'pyperclip.paste': 'clipboard-read',
  'pyperclip.copy': 'clipboard-write',
  'pandas.read_clipboard': 'clipboard-read',
  'member:to_clipboard': 'clipboard-write',
  'member:clipboard_get': 'clipboard-read',
  'win32clipboard.GetClipboardData': 'clipboard-read',
  'win32clipboard.SetClipboardData': 'clipboard-write',
  'win32clipboard.SetClipboardText': 'clipboard-write',
  // Keystrokes
  'pynput.keyboard.Listener': 'keystrokes',
  'keyboard.on_press': 'keystrokes',
  'keyboard.on_release': 'keystrokes',
  'keyboard.hook': 'keystrokes',
  'keyboard.read_key': 'keystrokes',
  'keyboard.record': 'keystrokes',
  'pyHook.HookManager': 'keystrokes',
  'iohook.start': 'keystrokes',
  'uiohook-napi.uIOhook.start': 'keystrokes',
  'node-global-key-listener.GlobalKeyboardListener': 'keystrokes',
  // Browser cookies
  ...Object.fromEntries(Object.entries(PY_COOKIE_READERS).flatMap(([module, names]) => names.map((name) => [`${module}.${name}`, 'browser-cookies' as const]))),
  'chrome-cookies-secure.getCookies': 'browser-cookies',
  'chrome-cookies-secure.getCookiesPromised': 'browser-cookies',
  // Windows APIs reached through ctypes, ffi-napi or koffi, by their names alone: nothing else is called that.
  'member:SetWindowsHookExA': 'keystrokes',
  'member:SetWindowsHookExW': 'keystrokes',
  'member:GetAsyncKeyState': 'keystrokes',
  // Process injection: memory written into another process, a thread started in it.
  'member:VirtualAllocEx': 'process-injection',
  'member:WriteProcessMemory': 'process-injection',
  'member:NtWriteVirtualMemory': 'process-injection',
  'member:CreateRemoteThread': 'process-injection',
  'member:CreateRemoteThreadEx': 'process-injection',
  'member:NtCreateThreadEx': 'process-injection',
  'member:RtlCreateUserThread': 'process-injection',
  'member:QueueUserAPC': 'process-injection',
};

/** Method names the table holds, for the calls rules read (catalog/members.ts). */
export const CAPTURE_METHODS: readonly string[] = Object.keys(CAPTURES).filter((callee) => callee.startsWith('member:'));

/**
 * What a call captures, by its canonical callee (a constructor's `new ` dropped); a function reached
 * through ctypes (`ctypes.windll.kernel32.WriteProcessMemory`) by its name.
 */
export function captureOf(callee: string): Capture | null {
  const name = callee.startsWith('new ') ? callee.slice(4) : callee;
  if (Object.hasOwn(CAPTURES, name)) return CAPTURES[name]!;
  const method = name.startsWith('ctypes.') ? `member:${name.slice(name.lastIndexOf('.') + 1)}` : null;
  return method !== null && Object.hasOwn(CAPTURES, method) ? CAPTURES[method]! : null;
}

// Library injection: the dynamic loader's own variables make a program load a library of the
// setter's choosing before its own code (Linux and the BSDs: LD_PRELOAD, LD_AUDIT; macOS:
// DYLD_INSERT_LIBRARIES), the Unix form of DLL hijacking. Code sets one for a program it starts in
// a command (`LD_PRELOAD=/tmp/x.so prog`) or in code it hands to an interpreter
// (`environ.__setitem__("LD_PRELOAD", "/tmp/x.so")`): the variable's name with a value right after
// it, in one string. A name alone is not setting it (hardening code removes these variables).

/** The loader's injection variables; the command catalogue (catalog/commands.ts) judges commands that set them. */
export const LOADER_VARIABLES: readonly string[] = ['LD_PRELOAD', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES'];
const LOADER_SETTING = new RegExp(`\\b(${LOADER_VARIABLES.join('|')})(?:=[^\\s;&|'"]|["']?\\s{0,4}[,:]\\s{0,4}["'][^\\s"'])`);

/** The loader variable a string sets (`LD_PRELOAD=/tmp/x.so cmd`), or undefined. */
export function loaderVariableSet(text: string): string | undefined {
  if (!text.includes('LD_') && !text.includes('DYLD_')) return undefined;
  return LOADER_SETTING.exec(text)?.[1];
}

/** Names a loader takes as a native library: what a planted file is called for a program to load it. */
export const NATIVE_LIBRARY = /\.(?:so(?:\.\d+)*|dll|dylib)$/i;
