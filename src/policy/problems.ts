import type { ErrorObject } from 'ajv';
import { escapeText } from '../escape.js';
import type { JsonPath } from '../manifest/access.js';
import { offsetOfPath } from '../manifest/syntax.js';
import { positionIn } from '../user-json.js';

// What is wrong with a policy file, said so that a person can fix it: the key as written in the file
// (`suppressions[0].expires`) and, when the file's text is at hand, where it is (`team.json:9:7`),
// found by the manifest's JSON scanner.

export interface PolicyProblem {
  path: JsonPath;
  message: string;
}

/** Each schema error (ajv, `verbose`) as a problem at the key or value it concerns. */
export function schemaProblems(errors: readonly ErrorObject[], json: unknown): PolicyProblem[] {
  return errors.flatMap((error): PolicyProblem[] => {
    const at = pathOf(error.instancePath, json);
    // A bad key is reported by the keyword it broke (with `propertyName`) and again as `propertyNames`.
    if (error.keyword === 'propertyNames') return [];
    if (error.propertyName !== undefined) return [{ path: [...at, error.propertyName], message: `key ${messageOf(error)}` }];
    if (error.keyword === 'additionalProperties') {
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return [{ path: [...at, String(error.params.additionalProperty)], message: `unknown key (known: ${known.join(', ')})` }];
    }
    if (error.keyword === 'required') return [{ path: at, message: `"${String(error.params.missingProperty)}" is missing` }];
    return [{ path: at, message: messageOf(error) }];
  });
}

/** `team.json:9:7: suppressions[0].expires: …` for each problem, in the order of the file, on one line. */
export function describeProblems(problems: readonly PolicyProblem[], file: string, text: string | undefined): string {
  return problems
    .map(({ path, message }) => ({ path, message, offset: text === undefined ? null : offsetOfPath(text, path) }))
    .sort((a, b) => (a.offset ?? Infinity) - (b.offset ?? Infinity))
    .map(({ path, message, offset }) => {
      const where = offset === null ? file : positionIn(file, text!, offset);
      return escapeText(path.length === 0 ? `${where}: ${message}` : `${where}: ${keyName(path)}: ${message}`);
    })
    .join('; ');
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === 'enum') return `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  return error.message ?? 'is not valid';
}

/** A JSON pointer's segments, array indices as numbers. */
function pathOf(pointer: string, json: unknown): JsonPath {
  if (pointer === '') return [];
  let value = json;
  return pointer
    .slice(1)
    .split('/')
    .map((escaped) => {
      const segment = escaped.replaceAll('~1', '/').replaceAll('~0', '~');
      const step = Array.isArray(value) ? Number(segment) : segment;
      value = (value as Record<string | number, unknown> | undefined)?.[step];
      return step;
    });
}

/** A path as it reads in JavaScript: `rules.code-network`, `suppressions[0].expires`, `rules["a b"]`. */
function keyName(path: JsonPath): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_$][\w$-]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}
