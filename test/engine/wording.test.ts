import { describe, expect, it } from 'vitest';
import type { Trigger } from '../../src/analysis/model/triggers.js';
import { listenerSeverity } from '../../src/engine/call-site.js';
import { triggerPhrase, viaPath } from '../../src/engine/wording.js';

describe('triggerPhrase: what sets code off, as a message says it', () => {
  it('names each kind of trigger', () => {
    expect(triggerPhrase([{ kind: 'tool', name: 'x' }])).toBe(' in tool "x"');
    expect(triggerPhrase([{ kind: 'tool', name: 'x' }, { kind: 'tool', name: 'y' }])).toBe(' in tools "x", "y"');
    expect(triggerPhrase([{ kind: 'load', via: ['server/index.js', 'node_modules/pkg/index.js'] }])).toBe(
      ' as soon as the module is loaded (server/index.js → node_modules/pkg/index.js)',
    );
    expect(triggerPhrase([{ kind: 'listener', name: 'http.createServer', bind: 'all' }])).toBe(' from a network listener (http.createServer, all interfaces)');
    expect(triggerPhrase([{ kind: 'listener', name: 'WebSocketServer', bind: 'loopback', checked: true }])).toBe(
      ' from a network listener (WebSocketServer, loopback, Origin or token checked)',
    );
    expect(triggerPhrase([{ kind: 'timer', name: 'setInterval' }])).toBe(' on a timer (setInterval)');
    expect(triggerPhrase([{ kind: 'install', name: 'postinstall' }])).toBe(' when the package is installed (postinstall)');
    expect(triggerPhrase([])).toBe('');
  });

  it('does not repeat a load path of one file, the file itself', () => {
    expect(triggerPhrase([{ kind: 'load', via: ['server/index.js'] }])).toBe(' as soon as the module is loaded');
  });

  it('names the two most exposed kinds, in the order given', () => {
    const triggers: Trigger[] = [
      { kind: 'load', via: ['a.js', 'b.js'] },
      { kind: 'timer', name: 'setInterval' },
      { kind: 'tool', name: 'x' },
    ];
    expect(triggerPhrase(triggers)).toBe(' as soon as the module is loaded (a.js → b.js) and on a timer (setInterval)');
    expect(triggerPhrase([{ kind: 'load', via: ['a.js'] }, { kind: 'tool', name: 'x' }, { kind: 'tool', name: 'y' }])).toBe(' as soon as the module is loaded and in tools "x", "y"');
  });

  it('shortens a long import path in the middle', () => {
    expect(viaPath(['a', 'b', 'c', 'd'])).toBe('a → b → c → d');
    expect(viaPath(['a', 'b', 'c', 'd', 'e', 'f'])).toBe('a → … → e → f');
  });
});

describe('listenerSeverity', () => {
  it('keeps the severity on every interface, one step lower on loopback or unknown, one more when checked', () => {
    expect(listenerSeverity('critical', { kind: 'listener', name: 'x', bind: 'all' })).toBe('critical');
    expect(listenerSeverity('critical', { kind: 'listener', name: 'x', bind: 'loopback' })).toBe('high');
    expect(listenerSeverity('critical', { kind: 'listener', name: 'x', bind: 'unknown' })).toBe('high');
    expect(listenerSeverity('critical', { kind: 'listener', name: 'x', bind: 'all', checked: true })).toBe('high');
    expect(listenerSeverity('critical', { kind: 'listener', name: 'x', bind: 'loopback', checked: true })).toBe('medium');
    expect(listenerSeverity('low', { kind: 'listener', name: 'x', bind: 'loopback', checked: true })).toBe('info');
  });
});
