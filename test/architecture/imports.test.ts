import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, type ImportGraph } from '../helpers/import-graph.js';
import { repoPath } from '../helpers/fixtures.js';

// The shape docs/architecture.md draws, held against the code: rules are leaves that only the
// generated index imports, one orchestrator module hands the rule set to everything else, and no
// two modules import each other, not even for types.
const graph = importGraph(repoPath('.'), ['src', 'rules']);
const ORCHESTRATOR = 'src/audit-content.ts';

const importersOf = (g: ImportGraph, target: (file: string) => boolean): string[] =>
  [...g].flatMap(([file, targets]) => targets.filter(target).map((imported) => `${file} -> ${imported}`));

describe('the import graph of src/ and rules/', () => {
  it('has no cycles, type-only imports included', () => {
    expect(importCycles(graph)).toEqual([]);
  });

  it('imports a rule only from the generated index, and the index only from the orchestrator', () => {
    const ruleFile = (file: string) => file.startsWith('rules/') && file !== 'rules/index.ts';
    expect(importersOf(graph, ruleFile).filter((edge) => !edge.startsWith('rules/index.ts ->'))).toEqual([]);
    expect(importersOf(graph, (file) => file === 'rules/index.ts')).toEqual([`${ORCHESTRATOR} -> rules/index.ts`]);
  });

  it('is read completely enough to catch what it looks for', () => {
    // A reader that saw nothing would pass both tests above: these edges exist by construction.
    expect(graph.get('rules/index.ts')?.length).toBeGreaterThan(40);
    expect(importCycles(new Map([['a.ts', ['b.ts']], ['b.ts', ['a.ts']], ['c.ts', ['c.ts']]]))).toEqual([['a.ts', 'b.ts'], ['c.ts']]);
    expect(importersOf(graph, (file) => file === ORCHESTRATOR).length).toBeGreaterThan(0);
  });
});
