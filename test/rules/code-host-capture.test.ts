import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('is high for a clipboard hijacker on a timer and medium for a screenshot tool', async () => {
  const bundle = await scanFixture('fixtures/rules/code-host-capture/invalid');
  expect(findingWith(bundle, 'code-host-capture', 'clipboardy.write() replaces what is on the clipboard on a timer (setInterval).')).toMatchObject({
    severity: 'high',
    category: 'exfiltration',
    location: { file: 'server/index.js', line: 16 },
    trigger: { kind: 'timer', name: 'setInterval' },
  });
  expect(findingWith(bundle, 'code-host-capture', 'clipboardy.read() reads the clipboard on a timer (setInterval).')).toMatchObject({ severity: 'high', location: { line: 15 } });
  expect(findingWith(bundle, 'code-host-capture', 'screenshot-desktop() captures the screen in tool "snap".')).toMatchObject({ severity: 'medium', tool: 'snap', location: { line: 9 } });
  expect(findingsOf(bundle, 'code-host-capture')).toHaveLength(3);
});

it('is high for a Python keylogger started at import, medium for a screenshot tool', async () => {
  const bundle = await scanFixture('fixtures/rules/code-host-capture/invalid-python');
  expect(findingWith(bundle, 'code-host-capture', 'pynput.keyboard.Listener() records keystrokes as soon as the module is loaded.')).toMatchObject({
    severity: 'high',
    location: { file: 'server/main.py', line: 14 },
    trigger: { kind: 'load' },
  });
  expect(findingWith(bundle, 'code-host-capture', 'PIL.ImageGrab.grab() captures the screen in tool "snap".')).toMatchObject({ severity: 'medium', tool: 'snap' });
  expect(findingWith(bundle, 'code-host-capture', 'mss.mss.grab() captures the screen in tool "record".')).toMatchObject({ severity: 'medium', location: { line: 32 } });
  expect(findingsOf(bundle, 'code-host-capture')).toHaveLength(4);
});

it('ignores copy and paste methods of other objects and text about the clipboard', async () => {
  const bundle = await scanFixture('fixtures/rules/code-host-capture/valid');
  expect(findingsOf(bundle, 'code-host-capture')).toEqual([]);
});

it('is high for process injection through ctypes and for a Windows keyboard hook', async () => {
  const bundle = await scanFixture('fixtures/rules/code-host-capture/invalid-injection');
  const injection = "writes into another process's memory or starts a thread in it (process injection) in tool \"attach\".";
  expect(findingWith(bundle, 'code-host-capture', `kernel32.WriteProcessMemory() ${injection}`)).toMatchObject({ severity: 'high', location: { file: 'server/main.py', line: 15 } });
  expect(findingWith(bundle, 'code-host-capture', `ctypes.windll.kernel32.CreateRemoteThread() ${injection}`)).toMatchObject({ severity: 'high', location: { line: 17 } });
  expect(findingWith(bundle, 'code-host-capture', 'ctypes.windll.user32.SetWindowsHookExW() records keystrokes as soon as the module is loaded.')).toMatchObject({ severity: 'high', location: { line: 22 } });
  expect(findingsOf(bundle, 'code-host-capture')).toHaveLength(4);
});

it('ignores harmless Windows functions called through ctypes and methods merely named like injection', async () => {
  const bundle = await scanFixture('fixtures/rules/code-host-capture/valid-injection');
  expect(findingsOf(bundle, 'code-host-capture')).toEqual([]);
});

it("reports a read of the browser's cookie stores high, and not a session's own cookie jar", async () => {
  const bundle = await scanFixture('fixtures/rules/code-host-capture/invalid-browser-cookies');
  expect(findingWith(bundle, 'code-host-capture', "browser_cookie3.load() reads the browser's saved cookies (the logged-in sessions of every site) in tool \"site_session\"")).toMatchObject({ severity: 'high', tool: 'site_session', location: { line: 11 } });
  expect(findingWith(bundle, 'code-host-capture', 'pycookiecheat.chrome_cookies() reads the browser')).toMatchObject({ severity: 'high', location: { line: 12 } });
  expect(findingsOf(await scanFixture('fixtures/rules/code-host-capture/valid-browser-cookies'), 'code-host-capture')).toEqual([]);
});

it("reports text that sets the loader's injection variables, medium where a tool sets it off, and a native library the server writes, low", async () => {
  const bundle = await scanFixture('fixtures/rules/code-host-capture/invalid-library-injection');
  expect(findingWith(bundle, 'code-host-capture', 'The code sets LD_PRELOAD for a program it starts ("#!/bin/sh LD_PRELOAD=/tmp/libaccel.so exec ffprobe')).toMatchObject({ severity: 'medium', location: { line: 11 } });
  expect(findingWith(bundle, 'code-host-capture', 'fs.writeFileSync() writes a native library ("/tmp/libaccel.so") in tool "probe_video"')).toMatchObject({ severity: 'low', location: { line: 10 } });
  // The command run at line 16 is judged as a command: said once, by code-shell-exec.
  expect(findingsOf(bundle, 'code-host-capture')).toHaveLength(2);
  expect(findingWith(bundle, 'code-shell-exec', 'LD_PRELOAD=/tmp/libaccel.so: a library loaded into every program started with it')).toMatchObject({ location: { line: 16 } });
  // In code handed to an interpreter, as a key and its value: macOS's variable.
  const python = await scanFixture('fixtures/rules/code-host-capture/invalid-python-library-injection');
  expect(findingWith(python, 'code-host-capture', 'The code sets DYLD_INSERT_LIBRARIES for a program it starts')).toMatchObject({ location: { file: 'server/main.py', line: 8 } });
});

it("stays quiet on loader variables named without a value, text files about libraries and a dependency's own addon", async () => {
  expect(findingsOf(await scanFixture('fixtures/rules/code-host-capture/valid-library-injection'), 'code-host-capture')).toEqual([]);
});
