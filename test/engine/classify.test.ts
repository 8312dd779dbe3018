import { describe, expect, it } from 'vitest';
import type { CallSite } from '../../src/analysis/model/code-facts.js';
import { connectorClassOf, fileCapabilities } from '../../src/engine/classify.js';
import { noCode } from '../helpers/facts.js';

// What sets a call off is its triggers: a tool's name in `tools` is a tool trigger too.
const call = (fields: Partial<CallSite>): CallSite => ({
  triggers: (fields.tools ?? []).map((name) => ({ kind: 'tool', name })),
  file: 'server/index.js',
  origin: 'first-party',
  callee: 'fs.readFileSync',
  line: 1,
  column: 1,
  args: [{ labels: [] }],
  excerpt: '',
  tools: [],
  taintedBy: [],
  inputFrom: [],
  taintedArgs: [],
  checkedArgs: [],
  ...fields,
});
const capabilitiesOf = (...calls: CallSite[]) => fileCapabilities({ ...noCode(), calls });

describe('file capabilities', () => {
  it('claims reads and writes a tool reaches, whatever the path', () => {
    expect(capabilitiesOf(call({ tools: ['load'] }))).toEqual(['fs-read']);
    expect(capabilitiesOf(call({ callee: 'fs.promises.readdir', tools: ['list'] }))).toEqual(['fs-read']);
    expect(capabilitiesOf(call({ callee: 'fs.renameSync', args: [{ labels: [] }, { labels: [] }], triggers: [{ kind: 'load', via: ['server/index.js'] }] }))).toEqual(['fs-write']);
    expect(capabilitiesOf(call({ callee: 'fs.promises.open', args: [{ labels: ['3#0'] }, { labels: [], literal: 'w' }], tools: ['save'] }))).toEqual(['fs-write']);
  });

  it('claims nothing for existence checks, the bundle\'s own files or a dependency nothing reaches', () => {
    expect(capabilitiesOf(call({ callee: 'fs.existsSync', tools: ['load'] }))).toEqual([]);
    expect(capabilitiesOf(call({ args: [{ labels: ['@bundle-dir'], parts: ['package.json'] }], triggers: [{ kind: 'load', via: ['server/index.js'] }] }))).toEqual([]);
    expect(capabilitiesOf(call({ origin: 'dependency', callee: 'fs.writeFileSync', args: [{ labels: ['@home'] }] }))).toEqual([]);
  });

  it('claims first-party code no tool reaches only when its path leaves the bundle', () => {
    expect(capabilitiesOf(call({ args: [{ labels: ['7#0'] }] }))).toEqual([]);
    expect(capabilitiesOf(call({ callee: 'fs.mkdirSync', args: [{ labels: ['@home'], parts: ['.cache'] }] }))).toEqual(['fs-write']);
  });

  it('makes a file writer an executor and a file reader a retriever', () => {
    expect(connectorClassOf(['fs-write'])).toBe('execution');
    expect(connectorClassOf(['fs-read'])).toBe('retrieval');
  });
});
