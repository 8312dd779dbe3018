// PEP 723 inline script metadata: a comment block in a Python script that `uv run script.py` reads
// (and installs) instead of any pyproject.toml:
//
//   # /// script
//   # dependencies = ["httpx<1"]
//   # ///
//
// Only the block's TOML text and the line it starts on are returned; pyproject.ts reads the TOML.

/** Only this much of a script is searched for the block, which sits at the top in practice. */
export const MAX_SCRIPT_SCAN_CHARS = 1 << 20;

export interface ScriptBlock {
  toml: string;
  /** Line of the first TOML line (after `# /// script`), 1-based. */
  firstLine: number;
}

export type ScriptBlockRead = { kind: 'none' } | { kind: 'block'; block: ScriptBlock } | { kind: 'error'; line: number; problem: string };

/** The `script` block of a Python source, if any; two blocks, or one never closed, are errors as in PEP 723. */
export function scriptBlock(source: string): ScriptBlockRead {
  const lines = source.slice(0, MAX_SCRIPT_SCAN_CHARS).split(/\r\n|\r|\n/);
  let found: ScriptBlockRead = { kind: 'none' };
  for (let i = 0; i < lines.length; i++) {
    const type = /^# \/\/\/ ([a-zA-Z0-9-]+)$/.exec(lines[i]!)?.[1];
    if (type === undefined) continue;
    const content: string[] = [];
    let end = -1;
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (line === '# ///') end = j;
      if (line !== '#' && !line.startsWith('# ')) break;
      content.push(line === '#' ? '' : line.slice(2));
    }
    // The block ends at the last `# ///` before the comment run ends.
    if (end === -1) {
      if (type === 'script') return { kind: 'error', line: i + 1, problem: 'the "# /// script" block is never closed with "# ///"' };
      // No opener later in this comment run can be closed either: go on after it (linear time).
      i = j - 1;
      continue;
    }
    if (type === 'script') {
      if (found.kind === 'block') return { kind: 'error', line: i + 1, problem: 'the script has two "# /// script" blocks' };
      found = { kind: 'block', block: { toml: content.slice(0, end - i - 1).join('\n'), firstLine: i + 2 } };
    }
    i = end;
  }
  return found;
}
