import { jsonForDisplay } from '../escape.js';
import type { Report } from '../report.js';

export function renderJson(report: Report): string {
  return `${jsonForDisplay(JSON.stringify(report, null, 2))}\n`;
}
