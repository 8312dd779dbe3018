import { describe, expect, it } from 'vitest';
import { loaderVariableSet, NATIVE_LIBRARY } from '../../../src/analysis/catalog/host-capture.js';

describe('loaderVariableSet', () => {
  it.each([
    ['LD_PRELOAD=/tmp/x.so ffprobe -version', 'LD_PRELOAD'],
    ['export DYLD_INSERT_LIBRARIES=$HOME/.cache/hook.dylib', 'DYLD_INSERT_LIBRARIES'],
    ['os.environ.__setitem__("LD_AUDIT", "/tmp/audit.so")', 'LD_AUDIT'],
    ['{"LD_PRELOAD": "/opt/lib/libfake.so"}', 'LD_PRELOAD'],
  ])('reads a setting in %j', (text, variable) => {
    expect(loaderVariableSet(text)).toBe(variable);
  });

  it.each([
    'LD_PRELOAD',
    'unset LD_PRELOAD',
    'LD_PRELOAD, LD_AUDIT and DYLD_INSERT_LIBRARIES are removed',
    '{"LD_PRELOAD": ""}',
    'LD_LIBRARY_PATH=/opt/lib',
    'OLD_PRELOAD=/tmp/x.so',
  ])('reads no setting in %j', (text) => {
    expect(loaderVariableSet(text)).toBeUndefined();
  });
});

it('names native libraries by the names loaders take', () => {
  expect(['/tmp/.so', 'libhook.so.1', 'C:\\\\Temp\\\\version.dll', 'hook.dylib'].every((name) => NATIVE_LIBRARY.test(name))).toBe(true);
  expect(['notes.json', 'libs.txt', 'archive.so.txt', 'model.sol'].some((name) => NATIVE_LIBRARY.test(name))).toBe(false);
});
