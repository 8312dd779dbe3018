import type { Location, Severity, SinkPower } from '../report.js';

// The two halves of a connector chain (the February 2026 zero-click case): a tool that brings text
// anyone can write into the model's context (a calendar event, an e-mail, a web page), and a tool
// through which the model, steered by that text, acts on the machine or sends data out. Rules state
// these roles on the findings whose evidence shows them; the chain rule and the cross-bundle step
// (src/chains/combine.ts) pair them.

export const SINK_WORDS: Readonly<Record<SinkPower, string>> = {
  'command-execution': 'runs commands on this machine',
  'code-execution': 'runs code on this machine',
  'file-change': 'writes or deletes files anywhere on this machine',
  'send-out': 'sends data to any address',
};

export type Role =
  | { kind: 'source'; tools: readonly string[]; content: string; basis: SourceBasis }
  | { kind: 'sink'; tools: readonly string[]; power: SinkPower };

/** What shows a tool reads untrusted content: its code (an API, a host, a URL from input), or only its name and description. */
export type SourceBasis = 'code' | 'description';

export interface SourceRole {
  tool: string;
  basis: SourceBasis;
  /** What the tool brings in, in plain words: "calendar events", "web pages at any URL". */
  content: string;
  /** The finding that shows it: its message names the API, host or text, and where it is. */
  evidence: string;
  location: Location;
}

export interface SinkRole {
  tool: string;
  power: SinkPower;
  severity: Severity;
  evidence: string;
  location: Location;
}

export interface BundleRoles {
  sources: SourceRole[];
  sinks: SinkRole[];
}
