import type { CodeFacts } from '../../src/analysis/model/code-facts.js';

/** Code facts of a bundle whose code was not looked at, for rule tests that build facts by hand. */
export function noCode(): CodeFacts {
  return { reachable: [], parseErrors: [], calls: [], strings: [], tools: [], listedTools: [], prompts: [], unnamedRegistrations: [], unreachedSignals: [], gaps: [] };
}
