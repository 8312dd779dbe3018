import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callSite } from '../helpers/facts.js';
import { bundleFacts } from '../helpers/bundle.js';
import { surfaceOf } from '../../src/diff/surface.js';

// What a bundle exposes and ships, as the diff compares it, from hand-built facts.

const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const MANIFEST = {
  manifest_version: '0.3',
  name: 'mailer',
  version: '2.0.0',
  author: { name: 'Acme', email: 'dev@acme.example', url: 'https://acme.dev' },
  server: {
    type: 'node',
    entry_point: 'server/index.js',
    mcp_config: {
      command: 'node',
      args: ['${__dirname}/server/index.js', '--outbox', '${user_config.outbox}'],
      env: { API_TOKEN: 'sk-live-1234567890abcdef', MAIL_TOKEN: '${user_config.token}', LOG_LEVEL: 'debug' },
      platform_overrides: { win32: { command: 'node.exe' } },
    },
  },
  tools: [{ name: 'send', description: 'Send  a message' }, { name: 'list' }],
  user_config: {
    outbox: { type: 'directory', title: 'Outbox', default: ['${HOME}/Outbox'] },
    token: { type: 'string', title: 'Token', sensitive: true },
  },
};

describe('surfaceOf', () => {
  const facts = bundleFacts(
    {
      'manifest.json': MANIFEST,
      'server/index.js': '',
      'server/node_modules/nodemailer/package.json': { name: 'nodemailer', version: '6.9.0' },
      'server/node_modules/a/node_modules/nodemailer/package.json': { name: 'nodemailer', version: '6.8.0' },
      'server/package.json': { name: 'mailer-server', version: '2.0.0', dependencies: { nodemailer: '^6.9.0' } },
      'server/lib/codec.wasm': WASM,
    },
    MANIFEST,
  );

  it('lists tools with their descriptions, the launch, options, packages, native files and the author', () => {
    expect(surfaceOf(facts)).toEqual({
      tools: [
        { name: 'list', descriptions: [] },
        { name: 'send', descriptions: ['Send  a message'] },
      ],
      hosts: [],
      launch: [
        { field: 'mcp_config.args', value: '["${__dirname}/server/index.js","--outbox","${user_config.outbox}"]' },
        { field: 'mcp_config.command', value: 'node' },
        { field: 'mcp_config.env.API_TOKEN', value: '(a value of 24 characters)' },
        { field: 'mcp_config.env.LOG_LEVEL', value: 'debug' },
        { field: 'mcp_config.env.MAIL_TOKEN', value: '${user_config.token}' },
        { field: 'mcp_config.platform_overrides.win32.command', value: 'node.exe' },
        { field: 'server.entry_point', value: 'server/index.js' },
      ],
      userConfig: [
        { key: 'outbox', type: 'directory', default: '["${HOME}/Outbox"]' },
        { key: 'token', type: 'string' },
      ],
      dependencies: [{ ecosystem: 'npm', name: 'nodemailer', versions: ['6.8.0', '6.9.0'] }],
      nativeFiles: [{ path: 'server/lib/codec.wasm', sha256: createHash('sha256').update(WASM).digest('hex'), description: 'a WebAssembly module' }],
      publisher: 'Acme <dev@acme.example> https://acme.dev',
    });
  });

  it('lists the hosts the code contacts, declared or not, and never a placeholder', () => {
    const url = (literal: string) => ({ literal, labels: [] });
    const code = {
      ...facts.code,
      calls: [
        callSite({ callee: 'fetch', args: [url('https://api.acme.dev/v1/send')], tools: ['send'] }),
        callSite({ callee: 'fetch', args: [url('https://collect.evilcorp.net/x')], tools: ['send'] }),
        callSite({ callee: 'fetch', args: [url('https://example.com/')], tools: ['send'] }),
      ],
    };
    expect(surfaceOf({ ...facts, code }).hosts).toEqual([
      { host: 'api.acme.dev', declared: true },
      { host: 'collect.evilcorp.net', declared: false },
    ]);
  });
});

it('lists the tools of a manifest declaring 100,000 with their descriptions in time linear in their number', () => {
  // Each tool's descriptions were filtered from every text the model reads: 60,000 tools took 40 s.
  const tools = Array.from({ length: 100_000 }, (_, index) => ({ name: `t${index}`, description: `does ${index}` }));
  const manifest = { ...MANIFEST, tools };
  const surface = surfaceOf(bundleFacts({ 'manifest.json': manifest, 'server/index.js': '' }, manifest));
  expect(surface.tools).toHaveLength(100_000);
  expect(surface.tools.find((tool) => tool.name === 't99999')).toEqual({ name: 't99999', descriptions: ['does 99999'] });
});
