// The line annotations of semgrep's test files, which guarddog's follow too: a comment
// `ruleid: <id>` says the rule must match the next code line, `ok: <id>` that it must not. A
// comment after code on the same line marks that line. `todoruleid` (a match the peer itself still
// misses) counts as must-match, `todook` (a match it still makes wrongly) as safe: what is true of
// the code, not of the peer.

export interface Annotation {
  /** 1-based line of the code the annotation is about. */
  line: number;
  verdict: 'malicious' | 'safe';
  /** The peer's rule id, the first when several are named. */
  ruleId: string;
}

const MARK = /(?:\/\/|#|\/\*|<!--|\{\/\*)\s*(todoruleid|ruleid|todook|ok)\s*:\s*([\w.-]+)/;
const COMMENT_ONLY = /^\s*(?:\/\/|#|\/\*|\*|<!--|\{\/\*)/;

export function annotations(text: string): Annotation[] {
  const lines = text.split(/\r?\n/);
  const found: Annotation[] = [];
  lines.forEach((line, index) => {
    const match = MARK.exec(line);
    if (match === null) return;
    const target = line.slice(0, match.index).trim() === '' ? nextCodeLine(lines, index + 1) : index;
    if (target === undefined) return;
    found.push({ line: target + 1, verdict: match[1]!.endsWith('ruleid') ? 'malicious' : 'safe', ruleId: match[2]! });
  });
  return found;
}

function nextCodeLine(lines: readonly string[], from: number): number | undefined {
  for (let index = from; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() !== '' && !COMMENT_ONLY.test(line)) return index;
  }
  return undefined;
}
