import type { CallSite } from '../analysis/model/code-facts.js';
import type { Trigger } from '../analysis/model/triggers.js';
import { SEVERITIES, severityRank, type FindingTrigger, type Severity } from '../report.js';
import type { RuleReport } from './rule.js';

/**
 * Where a code finding points and what it carries: the call, its excerpt, origin, the tool it is about
 * (the first whose input reaches it, else the first reaching it), every tool reaching it, and what sets it off.
 */
export function atCallSite(call: CallSite): Pick<RuleReport<string>, 'location' | 'evidence' | 'origin' | 'tool' | 'tools' | 'trigger'> {
  const tool = call.taintedBy[0] ?? call.tools[0];
  const trigger = call.inputFrom[0] ?? call.triggers[0];
  return {
    location: { file: call.file, line: call.line, column: call.column },
    evidence: call.excerpt,
    origin: call.origin,
    ...(tool === undefined ? {} : { tool }),
    ...(call.tools.length > 1 ? { tools: call.tools } : {}),
    ...(trigger === undefined ? {} : { trigger: findingTrigger(trigger) }),
  };
}

/** A trigger as the report carries it. */
export function findingTrigger(trigger: Trigger): FindingTrigger {
  switch (trigger.kind) {
    case 'load':
      return { kind: 'load', via: trigger.via };
    case 'listener':
      return { kind: 'listener', name: trigger.name, bind: trigger.bind, ...(trigger.checked ? { checked: true } : {}) };
    default:
      return { kind: trigger.kind, name: trigger.name };
  }
}

/** A call or a string is reached when anything sets it off: a tool, the module's load, a listener, a timer, an install. */
export function isReached(site: { triggers: readonly Trigger[] }): boolean {
  return site.triggers.length > 0;
}

/** Code that runs as soon as its module is imported (top-level code and what it calls). */
export function runsAtLoad(site: { triggers: readonly Trigger[] }): boolean {
  return site.triggers.some((trigger) => trigger.kind === 'load');
}

export type ListenerTrigger = Extract<Trigger, { kind: 'listener' }>;

/** Where untrusted input reaching a call comes from: the tools whose arguments reach it, or one network listener's requests. */
export type InputSource = { kind: 'tool'; tools: readonly string[] } | { kind: 'listener'; listener: ListenerTrigger };

/**
 * The severity of a sink a listener's requests reach, given what it is when the listener takes
 * requests from every interface (`all`: anyone on the network): one step lower on loopback (any
 * local program or web page the user opens can still send to it) or an unknown bind, and one step
 * lower again when its handler checks the request's Origin or a secret token.
 */
export function listenerSeverity(onAllInterfaces: Severity, listener: ListenerTrigger): Severity {
  const steps = (listener.bind === 'all' ? 0 : 1) + (listener.checked ? 1 : 0);
  return SEVERITIES[Math.max(0, severityRank(onAllInterfaces) - steps)]!;
}

/**
 * Of the untrusted input reaching a call, the source that makes it worst, with that severity:
 * `forTools` is the sink's severity with tool input, `onAllInterfaces` with a listener's requests on
 * every interface (lowered by listenerSeverity). Ties go to the most exposed (inputFrom's order, then
 * the tools). Null when no untrusted input reaches the call.
 */
export function worstInput(call: CallSite, forTools: Severity, onAllInterfaces: Severity): { source: InputSource; severity: Severity } | null {
  let worst: { source: InputSource; severity: Severity } | null = null;
  for (const trigger of call.inputFrom) {
    if (trigger.kind !== 'listener') continue;
    const severity = listenerSeverity(onAllInterfaces, trigger);
    if (worst === null || severityRank(severity) > severityRank(worst.severity)) worst = { source: { kind: 'listener', listener: trigger }, severity };
  }
  if (call.taintedBy.length > 0 && (worst === null || severityRank(forTools) > severityRank(worst.severity))) {
    worst = { source: { kind: 'tool', tools: call.taintedBy }, severity: forTools };
  }
  return worst;
}

/** The trigger a finding names for the input source its severity comes from. */
export function sourceTrigger(source: InputSource): FindingTrigger {
  return source.kind === 'tool' ? { kind: 'tool', name: source.tools[0]! } : findingTrigger(source.listener);
}
