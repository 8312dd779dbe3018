// Characters a reader of a text does not see: Unicode tag characters (an invisible copy of ASCII),
// bidi controls that make the text on screen differ from the text in the file, zero-width and other
// invisible characters, runs of variation selectors, control characters and soft hyphens. Legitimate
// uses are left out: a zero-width joiner inside an emoji sequence or between letters of scripts that
// join, one variation selector after a character, bidi marks in right-to-left text. Read by
// prompt-hidden-text (what the model reads) and code-obfuscation (what runs).

export type HiddenKind = 'tag' | 'bidi-control' | 'selector-run' | 'zero-width' | 'bidi-mark' | 'control' | 'soft-hyphen';

/** Each kind in words, for findings. */
export const HIDDEN_LABELS: Readonly<Record<HiddenKind, string>> = {
  tag: 'Unicode tag characters',
  'bidi-control': 'bidi override, embedding or isolate controls',
  'selector-run': 'runs of variation selectors',
  'zero-width': 'zero-width or other invisible characters',
  'bidi-mark': 'bidi marks in text with no right-to-left letters',
  control: 'control characters',
  'soft-hyphen': 'soft hyphens',
};

/**
 * Whether a text may hold a tag character, bidi control, zero-width or invisible character or
 * variation selector: a quick look before hiddenIn's character-by-character one, for long texts
 * (source files) that mostly hold none. Marks, control characters and soft hyphens are not looked for.
 */
const MAY_HIDE = /[\u200B-\u200D\u202A-\u202E\u2060-\u2069\uFEFF\u180E\u034F\u115F\u1160\u3164\uFFA0\uFFF9-\uFFFB\uFE00-\uFE0F]|[\u{E0000}-\u{E007F}]|[\u{E0100}-\u{E01EF}]/u;

export function mayHideCharacters(text: string): boolean {
  return MAY_HIDE.test(text);
}

const RTL_LETTERS = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const PICTOGRAPH = /\p{Extended_Pictographic}/u;
const LETTER = /\p{L}|\p{M}/u;
const LATIN_OR_COMMON = /[\p{Script=Latin}\p{Script=Common}]/u;

function isSelector(code: number): boolean {
  return (code >= 0xfe00 && code <= 0xfe0f) || (code >= 0xe0100 && code <= 0xe01ef);
}

function isSkinTone(code: number): boolean {
  return code >= 0x1f3fb && code <= 0x1f3ff;
}

/** A joiner between two emoji (`👩‍💻`, `👍🏽‍…`), or between letters of a script that joins (Persian, Devanagari). */
function joinerIsWritten(chars: readonly string[], index: number): boolean {
  let before = index - 1;
  while (before >= 0 && (isSelector(chars[before]!.codePointAt(0)!) || isSkinTone(chars[before]!.codePointAt(0)!))) before -= 1;
  const previous = chars[before];
  const next = chars[index + 1];
  if (previous === undefined || next === undefined) return false;
  if (PICTOGRAPH.test(previous) && PICTOGRAPH.test(next)) return true;
  return LETTER.test(previous) && LETTER.test(next) && !LATIN_OR_COMMON.test(previous) && !LATIN_OR_COMMON.test(next);
}

export interface HiddenFound {
  kind: HiddenKind;
  /** Index (in code points) of the first one. */
  first: number;
  count: number;
}

/** The hidden characters of a text, by kind, and the ASCII that tag characters spell. */
export function hiddenIn(text: string): { found: HiddenFound[]; tagText: string } {
  const chars = Array.from(text);
  const found = new Map<HiddenKind, HiddenFound>();
  let tagText = '';
  const note = (kind: HiddenKind, index: number) => {
    const known = found.get(kind);
    if (known) known.count += 1;
    else found.set(kind, { kind, first: index, count: 1 });
  };
  const rtl = RTL_LETTERS.test(text);
  for (let index = 0; index < chars.length; index++) {
    const code = chars[index]!.codePointAt(0)!;
    if (code < 0x7f && code >= 0x20) continue;
    if (code >= 0xe0000 && code <= 0xe007f) {
      note('tag', index);
      if (code >= 0xe0020 && code <= 0xe007e) tagText += String.fromCharCode(code - 0xe0000);
    } else if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      note('bidi-control', index);
    } else if (code === 0x200e || code === 0x200f || code === 0x061c) {
      if (!rtl) note('bidi-mark', index);
    } else if (isSelector(code)) {
      const next = chars[index + 1]?.codePointAt(0);
      if (next !== undefined && isSelector(next)) {
        note('selector-run', index);
        while (index + 1 < chars.length && isSelector(chars[index + 1]!.codePointAt(0)!)) index += 1;
      }
    } else if (code === 0x200c || code === 0x200d) {
      if (!joinerIsWritten(chars, index)) note('zero-width', index);
    } else if (
      code === 0x200b || code === 0x2060 || code === 0xfeff || code === 0x180e || (code >= 0x2061 && code <= 0x2064) ||
      code === 0x034f || code === 0x115f || code === 0x1160 || code === 0x3164 || code === 0xffa0 || (code >= 0xfff9 && code <= 0xfffb)
    ) {
      note('zero-width', index);
    } else if (code === 0x00ad) {
      note('soft-hyphen', index);
    } else if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || (code >= 0x7f && code <= 0x9f)) {
      note('control', index);
    }
  }
  return { found: [...found.values()], tagText };
}

/**
 * Letters Python reads as others: it normalises identifiers with NFKC, so `𝚎𝚡𝚎𝚌` in mathematical
 * monospace is `exec`. No ordinary program writes them (fullwidth letters are left out: Japanese
 * text uses them).
 */
export const DISGUISED_LETTERS = /[\u{1D400}-\u{1D7FF}]/u;
