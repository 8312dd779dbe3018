// The library API: `import { audit } from 'dxt-audit'` returns the object `--format json` prints.
export { audit, DEFAULT_GATE, type AuditOptions } from './audit.js';
export { RULES } from './audit-content.js';
export { UsageError } from './common.js';
export { diff } from './diff/diff.js';
export type * from './diff/report.js';
export { DEFAULT_LIMITS, type Limits } from './bundle/limits.js';
export { loadPolicy, parsePolicy, type Policy, type Suppression } from './policy/config.js';
export { readBaseline, renderBaseline, type Baseline } from './policy/baseline.js';
export { toHtml, toJson, toMarkdown, toSarif, toText } from './renderers.js';
export { loadAdvisories, parseAdvisories, type Advisory } from './deps/advisories.js';
export type * from './report.js';
export { TOOL_VERSION } from './version.js';
