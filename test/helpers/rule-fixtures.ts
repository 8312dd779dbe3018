import { existsSync, readdirSync } from 'node:fs';
import { repoPath } from './fixtures.js';

/** The fixture cases of a rule: `invalid`, `invalid-<variant>`, `valid`, `valid-<variant>`, as folders or archives. */
export function fixtureCases(ruleId: string): { invalid: string[]; valid: string[] } {
  const dir = `fixtures/rules/${ruleId}`;
  const names = existsSync(repoPath(dir)) ? readdirSync(repoPath(dir)).sort() : [];
  const of = (kind: string) =>
    names.filter((name) => new RegExp(`^${kind}(-[\\w-]+)?(\\.dxt|\\.mcpb)?$`).test(name)).map((name) => `${dir}/${name}`);
  return { invalid: of('invalid'), valid: of('valid') };
}
