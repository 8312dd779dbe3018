import { describe, expect, it } from 'vitest';
import rule, { evidenceFor, findEnvValues, findNpmrcValues, findTokens, looksPlaceholder, MAX_FINDINGS_PER_FILE } from '../../rules/file-secret.js';
import { FAKE_SECRETS, fakeChars } from '../../scripts/lib/fake-secrets.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { runCli } from '../helpers/cli.js';
import { findingsOf, findingWith, repoPath, scanFixture } from '../helpers/fixtures.js';

const RULE = 'file-secret';
const DIR = `fixtures/rules/${RULE}`;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ghp = (seed: number) => `ghp_${fakeChars(seed, ALNUM, 36)}`;

describe(RULE, () => {
  it('reports each credential with its kind, fixed prefix and length, where it is', async () => {
    const bundle = await scanFixture(`${DIR}/invalid.dxt`);
    expect(findingsOf(bundle, RULE)).toHaveLength(15);
    expect(findingWith(bundle, RULE, '"server/config.js" contains what looks like a GitHub personal access token: ghp_… (40 characters)')).toMatchObject({
      severity: 'high',
      origin: 'first-party',
      location: { file: 'server/config.js', line: 3, column: 23 },
      evidence: 'const GITHUB_TOKEN = "ghp_… (40 characters)',
    });
    const expected: Array<[string, string]> = [
      ['a GitHub fine-grained personal access token: github_pat_… (93 characters)', 'server/config.js'],
      ['an AWS access key id: AKIA… (20 characters)', 'server/config.js'],
      ['a Slack token: xoxb-… (56 characters)', 'server/config.js'],
      ['a Stripe live secret key: sk_live_… (32 characters)', 'server/config.js'],
      ['a Google API key: AIza… (39 characters)', 'server/clients.js'],
      ['an Anthropic API key: sk-ant-… (108 characters)', 'server/clients.js'],
      ['an OpenAI API key: sk-proj-… (64 characters)', 'server/clients.js'],
      ['an npm access token: npm_… (40 characters)', 'server/clients.js'],
      ['a private key (PEM): -----BEGIN PRIVATE KEY----- … (body not shown)', 'server/clients.js'],
      ['a private key (PEM, RSA): -----BEGIN RSA PRIVATE KEY-----', 'server/keys/deploy.pem'],
      ['a private key (PEM, OPENSSH)', 'server/keys/id_ed25519'],
      ['an npm registry credential (_authToken): … (31 characters)', 'server/.npmrc'],
    ];
    for (const [text, file] of expected) expect(findingWith(bundle, RULE, text)).toMatchObject({ severity: 'high', location: { file } });
    expect(findingWith(bundle, RULE, '"server/.env" sets a value for DB_PASSWORD: … (20 characters)')).toMatchObject({
      severity: 'medium',
      location: { file: 'server/.env', line: 3, column: 14 },
    });
    expect(findingWith(bundle, RULE, 'some-dep/README.md" contains what looks like a GitHub personal access token')).toMatchObject({
      severity: 'low',
      origin: 'dependency',
      location: { line: 3, column: 41 },
    });
  });

  it('stays silent on documentation examples, empty templates, placeholders, PEM headers alone, env references and binaries', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid.dxt`), RULE)).toEqual([]);
  });

  it('never prints any part of a secret beyond its fixed prefix, in JSON or text', async () => {
    const outputs = await Promise.all(
      ['json', 'text'].map(async (format) => (await runCli(['scan', repoPath(`${DIR}/invalid.dxt`), '--format', format])).stdout),
    );
    expect(outputs[0]).toContain('ghp_… (40 characters)');
    for (const [name, value] of Object.entries(FAKE_SECRETS)) {
      for (const output of outputs) {
        expect(output, name).not.toContain(value);
        // No 12-character window of any secret, so no fixed prefix plus part of the random tail.
        for (let at = 0; at + 12 <= value.length; at++) expect(output.includes(value.slice(at, at + 12)), `${name} at ${at}`).toBe(false);
      }
    }
  });

  it(`lists at most ${MAX_FINDINGS_PER_FILE} per file and says there were more`, () => {
    const tokens = Array.from({ length: 8 }, (_, index) => ghp(1000 + index));
    const findings = runRule(rule, bundleFacts({ 'server/many.js': tokens.map((token) => `t('${token}');`).join('\n') }));
    expect(findings.filter((finding) => finding.severity === 'high')).toHaveLength(MAX_FINDINGS_PER_FILE);
    expect(findings.find((finding) => finding.severity === 'info')).toMatchObject({
      message: `File "server/many.js" holds more credential-like values than the ${MAX_FINDINGS_PER_FILE} listed; they were not examined further.`,
      location: { file: 'server/many.js', line: MAX_FINDINGS_PER_FILE, column: 4 },
    });
  });

  it('reports a value repeated in one file once', () => {
    const token = ghp(7);
    expect(runRule(rule, bundleFacts({ 'a.js': `${token}\n${token}\n${token}` }))).toHaveLength(1);
  });

  it('skips files with a NUL byte in their first KB, but not one further in', () => {
    const token = new TextEncoder().encode(` ${ghp(8)} `);
    const early = new Uint8Array(2048 + token.length).fill(0x20);
    early.set(token, 2048);
    early[1000] = 0;
    expect(runRule(rule, bundleFacts({ 'a.bin': early }))).toEqual([]);
    const late = new Uint8Array(early);
    late[1000] = 0x20;
    late[1500] = 0;
    expect(runRule(rule, bundleFacts({ 'a.bin': late }))).toHaveLength(1);
  });

  it('counts columns in characters when multi-byte text precedes the value', () => {
    const findings = runRule(rule, bundleFacts({ 'a.js': `// é 😀\nconst clé = "${ghp(9)}";\n` }));
    expect(findings[0]!.location).toEqual({ file: 'a.js', line: 2, column: 14 });
  });

  it('judges .env values by file: medium first-party, low in templates and dependencies', () => {
    const value = fakeChars(77, ALNUM, 24);
    const findings = runRule(
      rule,
      bundleFacts({
        '.env': `API_SECRET=${value}\n`,
        '.env.example': `API_SECRET=${value}\n`,
        'node_modules/dep/.env': `API_SECRET=${value}\n`,
        'config.env': `STRIPE_KEY=sk_live_${fakeChars(78, ALNUM, 24)}\n`,
      }),
    );
    const severities = Object.fromEntries(findings.map((finding) => [finding.location.file, finding.severity]));
    expect(severities).toEqual({ '.env': 'medium', '.env.example': 'low', 'node_modules/dep/.env': 'low', 'config.env': 'high' });
    expect(findings.find((finding) => finding.location.file === 'config.env')!.message).toContain('contains what looks like a Stripe live secret key');
  });
});

describe('findTokens', () => {
  it.each(Object.entries({
    github: 'a GitHub personal access token',
    githubFineGrained: 'a GitHub fine-grained personal access token',
    aws: 'an AWS access key id',
    slack: 'a Slack token',
    stripe: 'a Stripe live secret key',
    google: 'a Google API key',
    anthropic: 'an Anthropic API key',
    openai: 'an OpenAI API key',
    npm: 'an npm access token',
  }))('finds %s', (name, label) => {
    const value = FAKE_SECRETS[name as keyof typeof FAKE_SECRETS];
    expect(findTokens(`x = "${value}";`)).toMatchObject([{ index: 5, value, label, form: 'token' }]);
  });

  it('names the other GitHub and Stripe kinds and legacy OpenAI keys', () => {
    const body = fakeChars(5, ALNUM, 36);
    expect(findTokens(`gho_${body} ghs_${body} ghr_${body} ghu_${body}`).map((hit) => hit.label)).toEqual([
      'a GitHub OAuth access token',
      'a GitHub server-to-server token',
      'a GitHub refresh token',
      'a GitHub user-to-server token',
    ]);
    expect(findTokens(`rk_live_${fakeChars(6, ALNUM, 24)}`)[0]!.label).toBe('a Stripe live restricted key');
    expect(findTokens(`ASIA${fakeChars(7, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16)}`)[0]!.label).toBe('a temporary AWS access key id');
    expect(findTokens(`sk-${fakeChars(8, ALNUM, 48)}`)[0]).toMatchObject({ label: 'an OpenAI API key', redacted: 'sk-… (51 characters)' });
  });

  it('needs the token to start and end where the text does', () => {
    const aws = FAKE_SECRETS.aws;
    expect(findTokens(`X${aws}`)).toEqual([]);
    expect(findTokens(`${aws}Q`)).toEqual([]);
    expect(findTokens(`_${FAKE_SECRETS.github}`)).toEqual([]);
    expect(findTokens(`disk-${fakeChars(9, ALNUM, 48)}`)).toEqual([]);
    expect(findTokens(`${FAKE_SECRETS.stripe.replace('live', 'test')}`)).toEqual([]);
  });

  it('finds PEM private keys only with a body, through headers and string-literal escapes', () => {
    const body = fakeChars(10, `${ALNUM}+/`, 64);
    expect(findTokens('-----BEGIN RSA PRIVATE KEY-----')).toEqual([]);
    expect(findTokens("if (s.startsWith('-----BEGIN PRIVATE KEY-----')) return parse(s);")).toEqual([]);
    expect(findTokens(`-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${fakeChars(11, '0123456789ABCDEF', 32)}\n\n${body}\n`)[0]).toMatchObject({
      label: 'a private key (PEM, RSA)',
      form: 'pem',
    });
    expect(findTokens(`-----BEGIN PGP PRIVATE KEY BLOCK-----\r\nVersion: GnuPG v2\r\n\r\n${body}\r\n`)[0]!.label).toBe('a private key (PEM, PGP)');
    expect(findTokens(`"-----BEGIN EC PRIVATE KEY-----\\n" +\n  "${body}\\n"`)[0]!.label).toBe('a private key (PEM, EC)');
    expect(findTokens(`-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n`)).toEqual([]);
  });

  it('skips known placeholders', () => {
    for (const text of [
      'AKIAIOSFODNN7EXAMPLE',
      `ghp_${'x'.repeat(36)}`,
      `ghp_${'X'.repeat(36)}`,
      `sk_live_${'0'.repeat(24)}`,
      'sk-1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL',
      `AIza${'SyA-your-api-key-here'.padEnd(35, '0')}`,
      `npm_${'ab'.repeat(18)}`,
      `xoxb-your-slack-bot-token-here`,
    ]) {
      expect(findTokens(text), text).toEqual([]);
    }
  });

  it('stops at the limit it is given', () => {
    const text = Array.from({ length: 20 }, (_, index) => ghp(2000 + index)).join(' ');
    expect(findTokens(text, 3)).toHaveLength(3);
  });

  it('stays linear on adversarial text', () => {
    const size = 4_000_000;
    for (const unit of ['ghp_', 'xoxb-', 'sk-', 'sk-ant-', 'github_pat_', '-----BEGIN ', '-----BEGIN A B C ', 'AKIA', 'a', 'xoxb-1-']) {
      findTokens(unit.repeat(Math.ceil(size / unit.length)));
    }
    findTokens(`-----BEGIN RSA PRIVATE KEY-----${'Proc-Type: x\n'.repeat(size / 13)}`);
  });
});

describe('looksPlaceholder', () => {
  it.each([['EXAMPLEKEY12345678'], ['aaaaaaaaaaaaaaaaaaaa'], ['abababababababababab'], ['Q7xabcdefR2'], ['9876543210zz'], ['your_token_here']])('%s is a placeholder', (value) => {
    expect(looksPlaceholder(value)).toBe(true);
  });

  it('keeps random-looking values, whatever case their letters happen to spell', () => {
    expect(looksPlaceholder('flYshlBOHhP6m5cijRYdtEStXXNRWt5VuZIH')).toBe(false);
    for (let seed = 1; seed <= 200; seed++) expect(looksPlaceholder(fakeChars(seed, ALNUM, 36)), String(seed)).toBe(false);
  });
});

describe('config files', () => {
  it('reads .env assignments: export, quotes, comments, CRLF; skips empty, short, referenced and non-secret values', () => {
    const text = [
      'export GITHUB_TOKEN="a1B2c3D4e5F6g7H8"',
      "DB_PASSWORD='Zq8vLr2mXp' # set by ops",
      'SESSION_SECRET=k9Jq2Lm4Xv8Rt6Yw # comment',
      'API_KEY=',
      'AUTH_TOKEN=abc12',
      'CLIENT_SECRET=${VAULT_CLIENT_SECRET}',
      'PASSWORD=changeme',
      'TOKEN_URL=https://auth.example.invalid/token',
      'PORT=3000',
      'API_TOKEN=<paste-here>',
    ].join('\r\n');
    expect(findEnvValues(text).map((hit) => [hit.label, hit.value.length, hit.redacted])).toEqual([
      ['a value for GITHUB_TOKEN', 16, '… (16 characters)'],
      ['a value for DB_PASSWORD', 10, '… (10 characters)'],
      ['a value for SESSION_SECRET', 16, '… (16 characters)'],
    ]);
    expect(findEnvValues(text)[0]!.index).toBe('export GITHUB_TOKEN="'.length);
  });

  it('reads .npmrc credentials unless they come from the environment', () => {
    const auth = Buffer.from(`user:${fakeChars(12, ALNUM, 16)}`).toString('base64');
    const hits = findNpmrcValues(`_auth=${auth}\n//npm.example.invalid/:_authToken=\${TOKEN}\n//r.example.invalid/:_password="${fakeChars(13, ALNUM, 12)}"\n`);
    expect(hits.map((hit) => hit.label)).toEqual(['an npm registry credential (_auth)', 'an npm registry credential (_password)']);
  });
});

describe('evidenceFor', () => {
  it('shows the line before the value with anything credential-like masked, never a partial secret', () => {
    const first = ghp(20);
    const second = ghp(21);
    const line = `a="${first}" b="${second}"`;
    const evidence = evidenceFor(line, line.indexOf(second), 'ghp_… (40 characters)');
    expect(evidence).toBe('…" b="ghp_… (40 characters)');
    for (let at = 4; at + 6 <= first.length; at++) expect(evidence).not.toContain(first.slice(at, at + 6));
  });

  it('keeps ordinary identifiers and stays short on one very long line', () => {
    const token = ghp(22);
    expect(evidenceFor(`  const GITHUB_TOKEN = "${token}"`, 24, 'R')).toBe('const GITHUB_TOKEN = "R');
    const minified = `${'var a=1;'.repeat(200_000)}k="${token}"`;
    expect(evidenceFor(minified, minified.indexOf(token), 'R').length).toBeLessThanOrEqual(42);
  });
});

it('reads a .env file of 150,000 secret-named values to its five findings and a count (its values once overflowed the stack as arguments)', () => {
  const env = Array.from({ length: 150_000 }, (_, index) => `API_KEY_${index}=Zq${(index * 7919).toString(36)}Xy${index}Vw`).join('\n');
  const findings = runRule(rule, bundleFacts({ 'server/.env': env }));
  expect(findings).toHaveLength(MAX_FINDINGS_PER_FILE + 1);
  expect(findings.at(-1)!.message).toContain('more credential-like values');
});
