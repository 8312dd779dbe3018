// Credential-shaped strings for the file-secret fixtures and tests, generated from fixed seeds so that
// no token-shaped literal sits in the source and every build yields the same bytes. None of them
// was ever issued by anyone; they only have the shape that scanners (ours and others') look for.
// The fixture archives store them deflated, so they do not appear as plain text in the repository.

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = `${ALNUM}+/`;
const URL_SAFE = `${ALNUM}-_`;
const DIGITS = '0123456789';

/** `length` characters of `alphabet` from a xorshift32 stream seeded with `seed`. */
export function fakeChars(seed: number, alphabet: string, length: number): string {
  let s = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out += alphabet[s % alphabet.length];
  }
  return out;
}

function pemBody(seed: number, lines: number): string {
  return Array.from({ length: lines }, (_, index) => fakeChars(seed + index, BASE64, 64)).join('\n');
}

/** Every credential the invalid fixture holds, by name. */
export const FAKE_SECRETS = {
  github: `ghp_${fakeChars(101, ALNUM, 36)}`,
  githubFineGrained: `github_pat_${fakeChars(102, ALNUM, 22)}_${fakeChars(103, ALNUM, 59)}`,
  aws: `AKIA${fakeChars(104, UPPER_DIGITS, 16)}`,
  slack: `xoxb-${fakeChars(105, DIGITS, 12)}-${fakeChars(106, DIGITS, 13)}-${fakeChars(107, ALNUM, 24)}`,
  stripe: `sk_live_${fakeChars(108, ALNUM, 24)}`,
  google: `AIza${fakeChars(109, URL_SAFE, 35)}`,
  anthropic: `sk-ant-api03-${fakeChars(110, URL_SAFE, 93)}AA`,
  openai: `sk-proj-${fakeChars(111, URL_SAFE, 56)}`,
  npm: `npm_${fakeChars(112, ALNUM, 36)}`,
  npmrc: `${fakeChars(113, 'abcdef0123456789', 8)}-${fakeChars(114, 'abcdef0123456789', 4)}-${fakeChars(115, 'abcdef0123456789', 4)}-${fakeChars(116, 'abcdef0123456789', 12)}`,
  dotenvPassword: fakeChars(117, ALNUM, 20),
  dependencyGithub: `ghp_${fakeChars(118, ALNUM, 36)}`,
  rsaBody: pemBody(200, 4),
  opensshBody: pemBody(300, 3),
  pkcs8Body: fakeChars(400, BASE64, 64),
} as const;

const S = FAKE_SECRETS;

/** server/config.js: a first-party module that ships credentials inline. */
export const CONFIG_JS = `'use strict';
// Credentials pasted into code: what file-secret exists to catch.
const GITHUB_TOKEN = "${S.github}";
const GITHUB_FINE_GRAINED = '${S.githubFineGrained}';
// AWS key id: ${S.aws}
const slack = { token: \`${S.slack}\` };
const stripeKey = '${S.stripe}';
module.exports = { GITHUB_TOKEN, GITHUB_FINE_GRAINED, slack, stripeKey };
`;

/** server/clients.js: more inline credentials, and a PKCS#8 key inside a string literal. */
export const CLIENTS_JS = `'use strict';
const googleKey = "${S.google}";
const anthropic = process.env.ANTHROPIC_API_KEY || '${S.anthropic}';
const openai = '${S.openai}';
const npmToken = '${S.npm}';
const signingKey = "-----BEGIN PRIVATE KEY-----\\n${S.pkcs8Body}\\n-----END PRIVATE KEY-----\\n";
module.exports = { googleKey, anthropic, openai, npmToken, signingKey };
`;

export const RSA_PEM = `-----BEGIN RSA PRIVATE KEY-----\n${S.rsaBody}\n-----END RSA PRIVATE KEY-----\n`;
export const OPENSSH_KEY = `-----BEGIN OPENSSH PRIVATE KEY-----\n${S.opensshBody}\n-----END OPENSSH PRIVATE KEY-----\n`;
export const DOTENV = `# Shipped by mistake\nPORT=3000\nDB_PASSWORD="${S.dotenvPassword}"\nOPENAI_API_KEY=\nexport LOG_LEVEL=debug\n`;
export const NPMRC = `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${S.npmrc}\n`;
export const DEPENDENCY_README = `# some-dep\n\nExample: \`curl -H "Authorization: token ${S.dependencyGithub}" https://api.github.com/user\`\n`;
