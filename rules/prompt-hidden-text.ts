import { defineRule } from '../src/engine/rule.js';
import { sentenceCase } from '../src/engine/wording.js';
import type { Severity } from '../src/report.js';
import { HIDDEN_LABELS, hiddenIn, type HiddenKind } from '../src/analysis/catalog/hidden-characters.js';

// What the model reads but a reviewer does not see: Unicode tag characters (an invisible copy of
// ASCII, the way instructions were hidden in tool descriptions), bidi controls that make the text
// on screen differ from the text in the file, zero-width and other invisible characters, runs of
// variation selectors (bytes smuggled after a visible character), and control characters. Tool
// names that mix scripts (a Cyrillic `е` in `read_filе`) impersonate another tool. The report shows
// every such character escaped (`\u{E0041}`), and tag characters decoded.
//
// Severities: high for tag characters, bidi embeddings, overrides and isolates, and runs of
// variation selectors; medium for zero-width and other invisible characters, stray bidi marks in
// text with no right-to-left letters, control characters, and mixed-script tool names; low for a
// soft hyphen. Legitimate uses are left alone: a zero-width joiner inside an emoji sequence or
// between letters of scripts that join (Arabic, Indic), one variation selector after a character
// (emoji presentation), left-to-right and right-to-left marks in right-to-left text, names written
// in one non-Latin script.

const SEVERITY: Record<HiddenKind, Severity> = {
  tag: 'high',
  'bidi-control': 'high',
  'selector-run': 'high',
  'zero-width': 'medium',
  'bidi-mark': 'medium',
  control: 'medium',
  'soft-hyphen': 'low',
};

const RANK: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The scripts of a name's letters, when they are more than one (digits, `_` and `-` belong to none). */
export function mixedScripts(name: string): string[] {
  const scripts = new Set<string>();
  for (const char of name) {
    if (!/\p{L}/u.test(char)) continue;
    if (/\p{Script=Latin}/u.test(char)) scripts.add('Latin');
    else if (/\p{Script=Cyrillic}/u.test(char)) scripts.add('Cyrillic');
    else if (/\p{Script=Greek}/u.test(char)) scripts.add('Greek');
    else if (/\p{Script=Armenian}/u.test(char)) scripts.add('Armenian');
    else if (/\p{Script=Cherokee}/u.test(char)) scripts.add('Cherokee');
    else if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(char)) scripts.add('Japanese/Chinese');
    else scripts.add('other');
  }
  // Japanese names mix Han and kana, which is one writing system; Latin beside it is not a disguise.
  const confusable = ['Cyrillic', 'Greek', 'Armenian', 'Cherokee'].some((script) => scripts.has(script));
  return scripts.size > 1 && scripts.has('Latin') && confusable ? [...scripts].sort() : [];
}

/** A name with every letter outside ASCII written as `\u{XXXX}`, so that a look-alike shows. */
export function spelled(name: string): string {
  return Array.from(name, (char) => (char.codePointAt(0)! < 0x80 ? char : `\\u{${char.codePointAt(0)!.toString(16).toUpperCase()}}`)).join('');
}

/** Raw text around a code point index, for the evidence (the engine escapes it). */
function around(text: string, index: number): string {
  const chars = Array.from(text);
  return chars.slice(Math.max(0, index - 30), index + 30).join('');
}

export default defineRule({
  meta: {
    id: 'prompt-hidden-text',
    category: 'prompt-injection',
    severity: 'high',
    description:
      'Text the model reads holds characters a reviewer cannot see (Unicode tag characters, bidi controls, zero-width characters, variation-selector runs), or a tool name mixes scripts to look like another.',
    remediation:
      'Do not install until the publisher removes the hidden characters; read the escaped text in the report to see what the model would be told.',
    docs: {
      why:
        'A reviewer reads a tool description on screen; the model reads its code points. Unicode tag characters ' +
        '(U+E0000 to U+E007F) are an invisible copy of ASCII, so whole instructions can sit inside a harmless-looking ' +
        'description; bidi overrides and isolates make the text on screen differ from the text in the file; zero-width ' +
        'characters and runs of variation selectors smuggle content between visible letters. A tool name with a Cyrillic ' +
        '`а` in `reаd_file` passes for another server\'s tool. None of this has a use in text written for a model that ' +
        'the publisher wants reviewed. High for tag characters, bidi controls and variation-selector runs; medium for ' +
        'zero-width and other invisible characters, stray bidi marks in left-to-right text, control characters and ' +
        'mixed-script tool names; low for soft hyphens. The report shows each character escaped (`\\u{E0041}`) and ' +
        'decodes tag characters.',
      falsePositives:
        'Legitimate uses pass: a zero-width joiner inside an emoji sequence or between letters of scripts that join ' +
        '(Persian, Devanagari), a single variation selector after a character (emoji presentation), bidi marks in text ' +
        'that has right-to-left letters, and names written in one non-Latin script or in Japanese (Han with kana). ' +
        'A finding on translated text with stray marks is worth a look, not an alarm; a tag character never has an ' +
        'innocent reading here.',
      references: [
        { title: 'Unicode Technical Report #36: Unicode Security Considerations', url: 'https://www.unicode.org/reports/tr36/' },
        { title: 'Unicode Technical Standard #39: Unicode Security Mechanisms (mixed scripts, confusables)', url: 'https://www.unicode.org/reports/tr39/' },
        { title: 'CVE-2021-42574: Trojan Source, bidi controls that reorder what a reviewer sees', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-42574' },
        { title: 'CWE-1427: Improper Neutralization of Input Used for LLM Prompting', url: 'https://cwe.mitre.org/data/definitions/1427.html' },
      ],
    },
    messages: {
      hidden: '{field} holds {what}, invisible on screen but read by the model{decoded}.',
      mixedScript: 'Tool name "{name}" ({spelled}) mixes {scripts} letters: it can pass for another tool\'s name.',
    },
  },
  check(facts, context) {
    for (const text of facts.modelText) {
      const { found, tagText } = hiddenIn(text.text);
      if (found.length > 0) {
        const ordered = [...found].sort((a, b) => RANK[SEVERITY[b.kind]] - RANK[SEVERITY[a.kind]] || a.first - b.first);
        context.report({
          messageId: 'hidden',
          data: {
            field: sentenceCase(text.field),
            what: ordered.map((entry) => `${HIDDEN_LABELS[entry.kind]} (${entry.count})`).join(', '),
            decoded: tagText.trim() === '' ? '' : `; the tag characters spell "${tagText.length > 200 ? `${tagText.slice(0, 199)}…` : tagText}"`,
          },
          severity: SEVERITY[ordered[0]!.kind],
          location: text.location,
          evidence: around(text.text, ordered[0]!.first),
          ...(text.tool === undefined ? {} : { tool: text.tool }),
        });
      }
      if (text.kind === 'tool-name') {
        const scripts = mixedScripts(text.text);
        if (scripts.length > 0) {
          context.report({
            messageId: 'mixedScript',
            data: { name: text.text, spelled: spelled(text.text), scripts: scripts.join(' and ') },
            severity: 'medium',
            location: text.location,
            evidence: text.text,
            ...(text.tool === undefined ? {} : { tool: text.tool }),
          });
        }
      }
    }
  },
});
