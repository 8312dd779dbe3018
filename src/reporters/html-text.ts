import { shown } from '../escape.js';

// Bundle text in the HTML report. A page a browser opens is the most dangerous place bundle text
// can land: a `<script>`, an `onerror=` or a closed tag would run or restyle with the reader's
// trust, so every piece of it goes through `html()`.

const REFERENCES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Bundle text as HTML, safe in element content and in a quoted attribute alike: controls and
 * invisible characters become visible escapes first (`escape.ts`: a bidi override cannot reorder
 * what the reader sees, a newline shows as `\n`), `maxLength` shortens before any reference is
 * written (so none is cut in half), then `& < > " '` become character references, so no tag,
 * attribute or entity can start.
 */
export function html(text: string, maxLength = Number.POSITIVE_INFINITY): string {
  return shown(text, maxLength).replace(/[&<>"']/g, (character) => REFERENCES[character]!);
}
