import { describe, expect, it } from 'vitest';
import { looksSecret, wordsOf } from '../../src/engine/secret-names.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-secret-option';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('flags a token that is not sensitive, and credentials passed in argv', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, 'option "github_token" looks like a credential but is not marked sensitive')).toMatchObject({
      severity: 'medium',
      location: { file: 'manifest.json', pointer: '/user_config/github_token' },
    });
    expect(findingWith(bundle, RULE, 'args[1] passes the credential-like option "github_token" on the command line')).toMatchObject({
      severity: 'medium',
      location: { pointer: '/server/mcp_config/args/1' },
    });
    expect(findingWith(bundle, RULE, 'args[3] passes the sensitive option "db_password"')).toMatchObject({
      severity: 'medium',
      location: { pointer: '/server/mcp_config/args/3' },
    });
  });

  it('accepts a sensitive key in env, and a key_path file, keywords and a sort key in args', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });
});

describe('looksSecret', () => {
  it.each([
    ['api_key'],
    ['apiKey'],
    ['APIKey'],
    ['OPENAI_API_KEY'],
    ['openaiapikey'],
    ['key'],
    ['license_key'],
    ['private_key'],
    ['stripeSecretKey'],
    ['github_token'],
    ['SLACK_BOT_TOKEN'],
    ['githubtoken'],
    ['GITHUB_PAT'],
    ['access-token'],
    ['client_secret'],
    ['password'],
    ['db_passwd'],
    ['passphrase'],
    ['credentials'],
    ['bearer'],
    ['auth'],
    ['authToken'],
  ])('%s looks like a secret', (name) => {
    expect(looksSecret(name)).toBe(true);
  });

  it.each([
    ['keyword'],
    ['keywords'],
    ['monkey'],
    ['hotkey'],
    ['keyboard_layout'],
    ['sort_key'],
    ['primary_key'],
    ['partition key'],
    ['key_path'],
    ['api_key_file'],
    ['api_key_env'],
    ['token_url'],
    ['max_tokens'],
    ['auth_mode'],
    ['secret_name'],
    ['password_file'],
    ['access_key_id'],
    ['username'],
    ['workspace'],
  ])('%s does not', (name) => {
    expect(looksSecret(name)).toBe(false);
  });

  it('reads the title when the name says nothing, but not when the name describes a secret', () => {
    expect(looksSecret('github', 'GitHub personal access token')).toBe(true);
    expect(looksSecret('value', 'API Key')).toBe(true);
    expect(looksSecret('order', 'Sort key')).toBe(false);
    expect(looksSecret('key_path', 'Your private key')).toBe(false);
    expect(looksSecret('query', 'Keywords to search for')).toBe(false);
  });

  it('splits identifiers and titles into words', () => {
    expect(wordsOf('OPENAI_API_KEY')).toEqual(['openai', 'api', 'key']);
    expect(wordsOf('stripeSecretKey')).toEqual(['stripe', 'secret', 'key']);
    expect(wordsOf('APIKey')).toEqual(['api', 'key']);
    expect(wordsOf('GitHub personal-access token')).toEqual(['git', 'hub', 'personal', 'access', 'token']);
  });
});
