import { describe, expect, it } from 'vitest';
import {
  entryPointPath,
  intendedPlatforms,
  programContent,
  programsByPlatform,
  serverProgramPaths,
  starts,
  verdictOn,
} from '../../../src/analysis/binary/program.js';
import { elfHeader, machOHeader, peImage, universalBinary, wasmModule } from '../../../scripts/lib/native-headers.js';
import { bundleFacts } from '../../helpers/bundle.js';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);
const MACHO_ARM64 = machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 2 });
const ELF_PIE = elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'interpreter' });
const PE_EXE = peImage({ machine: 0x8664, dll: false });

describe('programContent', () => {
  it('tells native files, scripts, text, data and empty files apart', () => {
    expect(programContent('bin/x', MACHO_ARM64)).toMatchObject({ kind: 'native', native: { format: 'Mach-O' } });
    expect(programContent('run.sh', text('#!/usr/bin/env bash\nexec x\n'))).toEqual({ kind: 'script', interpreter: '/usr/bin/env bash', windows: false });
    expect(programContent('run', text('#!'))).toEqual({ kind: 'script', interpreter: 'no interpreter', windows: false });
    expect(programContent('run.cmd', text('@echo off\r\nnode server.js\r\n'))).toEqual({ kind: 'script', interpreter: 'cmd.exe', windows: true });
    expect(programContent('server', text("'use strict';\n"))).toEqual({ kind: 'text' });
    expect(programContent('server', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]))).toEqual({ kind: 'data' });
    expect(programContent('server', Uint8Array.from([0xc3, 0x28]))).toEqual({ kind: 'data' }); // not UTF-8
    expect(programContent('server', new Uint8Array())).toEqual({ kind: 'empty' });
    const long = programContent('run', text(`#!/bin/sh ${'x'.repeat(500)}`));
    expect(long.kind === 'script' && long.interpreter.length).toBe(80);
  });
});

describe('verdictOn', () => {
  it('needs the platform format, a program, and a processor its machines have', () => {
    const of = (bytes: Uint8Array, path = 'bin/x') => programContent(path, bytes);
    expect(verdictOn(of(MACHO_ARM64), 'darwin')).toBe('runs');
    expect(verdictOn(of(MACHO_ARM64), 'linux')).toBe('format');
    expect(verdictOn(of(universalBinary([{ bits: 64, little: true, cpu: 0x01000007, type: 2 }])), 'darwin')).toBe('runs');
    expect(verdictOn(of(machOHeader({ bits: 32, little: false, cpu: 18, type: 2 })), 'darwin')).toBe('architecture');
    expect(verdictOn(of(machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 6 })), 'darwin')).toBe('library');
    expect(verdictOn(of(ELF_PIE), 'linux')).toBe('runs');
    expect(verdictOn(of(elfHeader({ bits: 64, little: true, type: 3, machine: 62 })), 'linux')).toBe('runs'); // headers do not say: benefit of the doubt
    expect(verdictOn(of(elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'library' })), 'linux')).toBe('library');
    expect(verdictOn(of(elfHeader({ bits: 64, little: true, type: 1, machine: 62 })), 'linux')).toBe('library');
    expect(verdictOn(of(elfHeader({ bits: 32, little: false, type: 2, machine: 8 })), 'linux')).toBe('architecture');
    expect(verdictOn(of(elfHeader({ bits: 64, little: true, type: 2, machine: 62 }).subarray(0, 12)), 'linux')).toBe('malformed');
    expect(verdictOn(of(PE_EXE), 'win32')).toBe('runs');
    expect(verdictOn(of(peImage({ machine: 0xaa64, dll: false })), 'win32')).toBe('runs');
    expect(verdictOn(of(peImage({ machine: 0x8664, dll: true })), 'win32')).toBe('library');
    expect(verdictOn(of(peImage({ machine: 0x200, dll: false })), 'win32')).toBe('architecture');
    expect(verdictOn(of(wasmModule()), 'linux')).toBe('format');
    expect(verdictOn(of(text('#!/bin/sh\n')), 'darwin')).toBe('script');
    expect(verdictOn(of(text('#!/bin/sh\n')), 'win32')).toBe('format');
    expect(verdictOn(of(text('@echo off\n'), 'run.bat'), 'win32')).toBe('script');
    expect(verdictOn(of(text('@echo off\n'), 'run.bat'), 'linux')).toBe('format');
    expect(verdictOn(of(text('console.log(1)\n')), 'linux')).toBe('not-a-program');
    expect(starts('runs') && starts('script') && !starts('format') && !starts('library')).toBe(true);
  });
});

describe('intendedPlatforms', () => {
  it('reads compatibility.platforms, else the override keys, ignoring names that are not platforms', () => {
    expect(intendedPlatforms({ compatibility: { platforms: ['win32', 'macos', 'linux', 'win32', 7] } })).toEqual({ platforms: ['win32', 'linux'], from: 'compatibility' });
    expect(intendedPlatforms({ server: { mcp_config: { command: 'x', platform_overrides: { darwin: {}, windows: {} } } } })).toEqual({ platforms: ['darwin'], from: 'overrides' });
    expect(intendedPlatforms({ compatibility: { platforms: ['mac'] } })).toEqual({ platforms: [], from: 'none' });
    expect(intendedPlatforms(undefined)).toEqual({ platforms: [], from: 'none' });
  });
});

describe('programsByPlatform', () => {
  const manifest = {
    server: {
      type: 'binary',
      entry_point: 'server/tool',
      mcp_config: {
        command: '${__dirname}/server/tool',
        platform_overrides: { linux: { command: '${__dirname}/server/linux/tool' }, darwin: { args: ['--mac'] } },
      },
    },
  };

  it('follows overrides, falls back to the base command, and finds name.exe on Windows', () => {
    const { container } = bundleFacts({ 'server/tool': MACHO_ARM64, 'server/tool.exe': PE_EXE, 'server/linux/tool': ELF_PIE }, manifest);
    expect(programsByPlatform(manifest, container, ['darwin', 'win32', 'linux'])).toEqual([
      { platform: 'darwin', path: 'server/tool', pointer: ['server', 'mcp_config', 'command'], field: 'server.mcp_config.command' },
      { platform: 'win32', path: 'server/tool.exe', pointer: ['server', 'mcp_config', 'command'], field: 'server.mcp_config.command' },
      {
        platform: 'linux',
        path: 'server/linux/tool',
        pointer: ['server', 'mcp_config', 'platform_overrides', 'linux', 'command'],
        field: 'server.mcp_config.platform_overrides.linux.command',
      },
    ]);
    expect(serverProgramPaths(manifest, container, entryPointPath(manifest))).toEqual(['server/tool', 'server/tool.exe', 'server/linux/tool']);
  });

  it('skips commands that are no bundle path or name a missing file, and uses the bare name on Windows when no .exe exists', () => {
    const { container } = bundleFacts({ 'server/tool': MACHO_ARM64 }, manifest);
    expect(programsByPlatform(manifest, container, ['win32', 'linux']).map(({ platform, path }) => [platform, path])).toEqual([['win32', 'server/tool']]);
    const onPath = { server: { type: 'binary', mcp_config: { command: 'acme-server' } } };
    expect(programsByPlatform(onPath, container, ['darwin'])).toEqual([]);
  });
});

describe('entryPointPath', () => {
  it('resolves entry_point inside the bundle, with or without ${__dirname}', () => {
    expect(entryPointPath({ server: { entry_point: 'server/tool' } })).toBe('server/tool');
    expect(entryPointPath({ server: { entry_point: '${__dirname}/server/./tool' } })).toBe('server/tool');
    expect(entryPointPath({ server: { entry_point: '../tool' } })).toBeNull();
    expect(entryPointPath({ server: { entry_point: '' } })).toBeNull();
    expect(entryPointPath({})).toBeNull();
  });
});
