import { defineRule } from '../src/engine/rule.js';
import { pointerOf } from '../src/manifest/access.js';
import { userConfigOptions } from '../src/manifest/mcp-config.js';

const OPTION_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'boolean', 'directory', 'file']);

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value;
}

/** Whether a default suits its option; directory and file defaults are strings that may use `${HOME}` and friends. */
function defaultFits(type: string, multiple: boolean, value: unknown): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    default:
      return typeof value === 'string' || (multiple && Array.isArray(value) && value.every((item) => typeof item === 'string'));
  }
}

export default defineRule({
  meta: {
    id: 'manifest-option-type',
    category: 'manifest',
    severity: 'low',
    description:
      'A user_config option is inconsistent: a default of the wrong type, min/max on a non-number or with min above max, a default outside min/max, multiple on a non-path option, or sensitive on a non-string option.',
    remediation: 'Ask the publisher to fix the option; the host may ignore the setting or pass the server a value it does not expect.',
    messages: {
      defaultType: 'user_config option "{name}" has type "{type}" but its default is a {actual}.',
      defaultArray: 'user_config option "{name}" has a list as its default but is not a "multiple" directory or file option.',
      rangeOnNonNumber: 'user_config option "{name}" sets "{key}" but has type "{type}": min and max apply to numbers only.',
      rangeInverted: 'user_config option "{name}" has min {min} above max {max}: no value can satisfy it.',
      defaultOutOfRange: 'user_config option "{name}" has default {value} outside its range {min} to {max}.',
      multipleOnNonPath: 'user_config option "{name}" sets "multiple" but has type "{type}": only directory and file options accept several values.',
      sensitiveOnNonString: 'user_config option "{name}" sets "sensitive" but has type "{type}": only string options are stored in the OS keychain.',
    },
    docs: {
      why:
        '`user_config` options are what Claude Desktop asks the user for at install time and passes to the server. An ' +
        'inconsistent option, such as a default of the wrong type, `min` above `max`, a default outside its range, `multiple` ' +
        'on a non-path option or `sensitive` on a non-string option, means the host may ignore the setting or hand the server ' +
        'a value it does not expect. A `sensitive` flag that cannot apply is worse than a typo: the user believes a value is ' +
        'kept in the OS keychain when it is not. Low.',
      falsePositives:
        'Options with a missing or unknown `type` are left to `manifest-schema`, since nothing here can be judged against ' +
        'them. Defaults of `directory` and `file` options may use substitution variables such as `${HOME}` and are accepted as ' +
        'strings; a list default is accepted only for a `multiple` path option. An option without `min` or `max` has no range ' +
        'to check.',
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
      ],
    },
  },
  check({ manifest }, context) {
    if (manifest.json === undefined) return;
    for (const { name, option, path } of userConfigOptions(manifest.json)) {
      const type = option.type;
      // A missing or unknown type is a schema finding; nothing here can be judged against it.
      if (typeof type !== 'string' || !OPTION_TYPES.has(type)) continue;
      const at = (key: string) => ({ file: 'manifest.json' as const, pointer: pointerOf([...path, key]) });
      const isPath = type === 'directory' || type === 'file';
      const multiple = option.multiple === true;

      if ('default' in option) {
        const value = option.default;
        if (Array.isArray(value) && !(isPath && multiple)) {
          context.report({ messageId: 'defaultArray', data: { name }, location: at('default') });
        } else if (!defaultFits(type, multiple, value)) {
          context.report({ messageId: 'defaultType', data: { name, type, actual: jsonType(value) }, location: at('default') });
        }
      }

      const min = option.min;
      const max = option.max;
      if (type !== 'number') {
        for (const key of ['min', 'max']) {
          if (key in option) context.report({ messageId: 'rangeOnNonNumber', data: { name, key, type }, location: at(key) });
        }
      } else {
        const low = typeof min === 'number' ? min : -Infinity;
        const high = typeof max === 'number' ? max : Infinity;
        if (low > high) {
          context.report({ messageId: 'rangeInverted', data: { name, min: low, max: high }, location: at('min') });
        } else if (typeof option.default === 'number' && (option.default < low || option.default > high)) {
          context.report({
            messageId: 'defaultOutOfRange',
            data: { name, value: option.default, min: String(low), max: String(high) },
            location: at('default'),
          });
        }
      }

      if (multiple && !isPath) context.report({ messageId: 'multipleOnNonPath', data: { name, type }, location: at('multiple') });
      if (option.sensitive === true && type !== 'string') {
        context.report({ messageId: 'sensitiveOnNonString', data: { name, type }, location: at('sensitive') });
      }
    }
  },
});
