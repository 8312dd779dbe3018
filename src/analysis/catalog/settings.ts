// Which tests choose something at install or connection time: a registration in a branch of such a
// test exists only on some installs (Conditional in js/facts.ts). Read in the test's source text, so
// that the JavaScript and Python extractors share it.

/** Longest test kept for a message; longer tests are cut. */
const CONDITION_LENGTH = 80;
/** A test longer than this is not read: a registration's condition is short. */
const CONDITION_READ = 400;
/**
 * What makes a test a switch chosen at install or connection time: the environment, the command
 * line, the client's capabilities, a feature flag or a setting.
 */
const SETTING_WORDS = /\bprocess\.(env|argv)\b|\bos\.(environ|getenv)\b|\bgetenv\b|\bsys\.argv\b|capabilit|feature|flag|enabl|disabl|allow|experiment|config|setting|option|read_?only|unsafe|dangerous/i;

/**
 * The condition of a registration, as a message shows it, when the test's source text reads a
 * setting (SETTING_WORDS): whitespace collapsed, cut at CONDITION_LENGTH, `!(…)` when the
 * registration is in the branch taken when the test fails. Undefined for other tests.
 */
export function settingCondition(testText: string, negated: boolean): string | undefined {
  if (testText.length > CONDITION_READ || !SETTING_WORDS.test(testText)) return undefined;
  const text = testText.replace(/\s+/g, ' ').trim();
  const shown = text.length > CONDITION_LENGTH ? `${text.slice(0, CONDITION_LENGTH - 1)}…` : text;
  return negated ? `!(${shown})` : shown;
}
