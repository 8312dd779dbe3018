import { defineRule } from '../src/engine/rule.js';
import { looksSecret } from '../src/engine/secret-names.js';
import { pointerOf } from '../src/manifest/access.js';
import { fieldLabel, launchStrings, userConfigOptions, userConfigRefs } from '../src/manifest/mcp-config.js';

export default defineRule({
  meta: {
    id: 'manifest-secret-option',
    category: 'manifest',
    severity: 'medium',
    description:
      'A user_config option that looks like a credential is not marked sensitive, or a credential option is passed to the server in args (visible in the process list) instead of env.',
    remediation:
      'Ask the publisher to mark credential options `sensitive: true` (kept in the OS keychain) and to pass them through `env`; until then, prefer a token with the narrowest scope you can issue.',
    messages: {
      notSensitive:
        'user_config option "{name}" looks like a credential but is not marked sensitive: its value is kept in plain text in Claude\'s settings file, not in the OS keychain.',
      inArgs:
        '{field} passes the {kind} option "{name}" on the command line, where every local user can read it in the process list; env would keep it private.',
    },
    docs: {
      why:
        "API keys and tokens the user enters at install time are the extension's most valuable data. Claude Desktop keeps " +
        "`sensitive: true` options in the OS keychain; any other option is stored in plain text in its settings file, where " +
        "every program running as the user can read it. And an option passed through `mcp_config.args` ends up on the server's " +
        "command line, which every local user can read in the process list (`ps`), while `env` stays private to the process. " +
        "Medium.",
      falsePositives:
        'Names and titles are split into words (`OPENAI_API_KEY`, `apiKey`, `API Key`) and matched against words that name a ' +
        'secret on their own (token, secret, password, credential, apikey, bearer, pat, jwt and a few more). `key` counts ' +
        'except after qualifiers that name a data or keyboard key (`sort_key`, `primary_key`, `public_key`, `hot_key`), and a ' +
        'final descriptor makes the option describe a secret rather than hold one (`key_path`, `token_url`, `secret_name`, ' +
        '`api_key_env`, `auth_mode`). `tokens` alone is not a secret (`max_tokens`). Only `string` options can hold a secret ' +
        'value: a `file` option named `key_file` holds a path to one. If a finding names an option that is not a credential, ' +
        'its name is the likely cause; the publisher can still mark it `sensitive` at no cost.',
      references: [
        { title: 'CWE-214: Invocation of Process Using Visible Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/214.html' },
        { title: 'CWE-312: Cleartext Storage of Sensitive Information', url: 'https://cwe.mitre.org/data/definitions/312.html' },
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
      ],
    },
  },
  check({ manifest }, context) {
    if (manifest.json === undefined) return;
    const credentials = new Map<string, 'sensitive' | 'credential-like'>();
    for (const { name, option, path } of userConfigOptions(manifest.json)) {
      // Only string options hold a secret value; a `file` option named key_path holds a path to one.
      const secretLike = option.type === 'string' && looksSecret(name, typeof option.title === 'string' ? option.title : undefined);
      if (option.sensitive === true) credentials.set(name, 'sensitive');
      else if (secretLike) {
        credentials.set(name, 'credential-like');
        const pointer = pointerOf('sensitive' in option ? [...path, 'sensitive'] : path);
        context.report({ messageId: 'notSensitive', data: { name }, location: { file: 'manifest.json', pointer } });
      }
    }
    if (credentials.size === 0) return;
    for (const { value, path, field } of launchStrings(manifest.json)) {
      if (field === 'env') continue;
      for (const name of new Set(userConfigRefs(value))) {
        const kind = credentials.get(name);
        if (kind === undefined) continue;
        context.report({ messageId: 'inArgs', data: { field: fieldLabel(path), kind, name }, location: { file: 'manifest.json', pointer: pointerOf(path) } });
      }
    }
  },
});
