import { noCodeFacts } from '../../src/analysis/model/code-facts.js';

/** Code facts of a bundle whose code was not looked at, for rule tests that build facts by hand. */
export const noCode = noCodeFacts;
