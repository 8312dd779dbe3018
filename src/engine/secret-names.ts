// Whether a name looks like it holds a credential: a user_config option's name and title
// (manifest-secret-option), a `.env` variable (file-secret).

// Words that name a secret on their own. `tokens` is left out on purpose: in LLM tools it counts
// text (`max_tokens`), it is not a credential.
const SECRET_WORDS: ReadonlySet<string> = new Set([
  'token', 'secret', 'secrets', 'password', 'passwords', 'passwd', 'passphrase', 'credential', 'credentials',
  'creds', 'bearer', 'auth', 'authorization', 'apikey', 'apikeys', 'pat', 'jwt',
]);

// Names written as one word (`OPENAIAPIKEY`, `githubtoken`): only endings that are unambiguous.
const SECRET_ENDINGS = ['apikey', 'token', 'secret', 'password', 'passwd', 'passphrase'];

// `key` alone is a secret (`api_key`, `license_key`, `private_key`) except in these compounds, which
// name a data key or a keyboard key.
const NON_SECRET_KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'sort', 'sorting', 'primary', 'foreign', 'partition', 'hash', 'range', 'cache', 'lookup', 'index', 'row', 'group',
  'hot', 'shortcut', 'map', 'dict', 'object', 'unique', 'composite', 'public', 'search', 'routing', 'idempotency',
  'dedup', 'dedupe', 'translation', 'i18n', 'json', 'yaml', 'field', 'column', 'table', 'record', 'shard', 'music',
  'musical', 'keyboard', 'piano', 'metadata',
]);

// A last word that makes the option describe a secret rather than hold one: `key_path`,
// `token_url`, `secret_name`, `api_key_env`, `auth_mode`.
const DESCRIPTORS: ReadonlySet<string> = new Set([
  'path', 'paths', 'file', 'files', 'filename', 'dir', 'directory', 'folder', 'location', 'url', 'uri', 'endpoint',
  'host', 'hostname', 'server', 'domain', 'port', 'name', 'names', 'id', 'ids', 'arn', 'prefix', 'suffix', 'field',
  'type', 'types', 'mode', 'method', 'methods', 'scheme', 'provider', 'format', 'enabled', 'enable', 'disabled',
  'required', 'length', 'expiry', 'expiration', 'expires', 'ttl', 'timeout', 'count', 'limit', 'limits', 'region',
  'version', 'username', 'user', 'login', 'email', 'env', 'var', 'variable', 'command', 'cmd', 'helper', 'manager',
  'store', 'ref', 'reference', 'hint', 'label', 'policy', 'rotation', 'strength', 'size', 'bits', 'algorithm', 'alg',
]);

/** Lower-case words of an identifier or a title: `OPENAI_API_KEY`, `apiKey`, `API Key` -> `api`, `key`. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

type Verdict = 'secret' | 'describes-secret' | 'none';

function verdictOf(text: string): Verdict {
  const words = wordsOf(text);
  const secretAt = words.findIndex((word, index) => {
    if (SECRET_WORDS.has(word) || SECRET_ENDINGS.some((ending) => word.endsWith(ending))) return true;
    if (word !== 'key' && word !== 'keys') return false;
    const before = words[index - 1];
    return before === undefined || !NON_SECRET_KEY_QUALIFIERS.has(before);
  });
  if (secretAt === -1) return 'none';
  const last = words.at(-1)!;
  return secretAt < words.length - 1 && DESCRIPTORS.has(last) ? 'describes-secret' : 'secret';
}

/**
 * Whether an option named `name` with title `title` looks like it holds a credential. The name wins
 * when it clearly describes one instead (`key_path` titled "Private key" is a path, not a key).
 */
export function looksSecret(name: string, title?: string): boolean {
  const byName = verdictOf(name);
  if (byName !== 'none') return byName === 'secret';
  return title !== undefined && verdictOf(title) === 'secret';
}
