// What sets a piece of code off. A tool handler runs when the model calls the tool; a module's
// top-level code (and whatever it calls) runs as soon as the module is imported; a listener's
// handler runs when something on the network sends a request or a message; a timer's callback runs
// on its own after start-up; a package's lifecycle script runs when it is installed. A capability
// means something different under each: the trigger says who can make it happen.

/** Which interfaces a network listener is bound to. */
export type Bind = 'all' | 'loopback' | 'unknown';

export type Trigger =
  | { kind: 'tool'; name: string }
  /** `via`: the import path that loads the module, entry first, the file itself last. */
  | { kind: 'load'; via: string[] }
  /**
   * `name`: what starts the listener (`http.createServer`, `WebSocketServer`, `express route`);
   * `checked`: its handlers check the request's Origin or a secret token.
   */
  | { kind: 'listener'; name: string; bind: Bind; checked?: true }
  /** `name`: the scheduler (`setInterval`, `cron.schedule`). */
  | { kind: 'timer'; name: string }
  /** `name`: the lifecycle script (`postinstall`). */
  | { kind: 'install'; name: string };

export type TriggerKind = Trigger['kind'];

/** A stable key for one trigger: equal triggers have equal keys. */
export function triggerKey(trigger: Trigger): string {
  switch (trigger.kind) {
    case 'tool':
    case 'timer':
    case 'install':
      return `${trigger.kind}:${trigger.name}`;
    case 'load':
      return `load:${trigger.via.join('>')}`;
    case 'listener':
      return `listener:${trigger.name}:${trigger.bind}:${trigger.checked ? 'checked' : ''}`;
  }
}

/** Who can set each kind off, most exposed first: what a finding names when several triggers reach it. */
const EXPOSURE: readonly TriggerKind[] = ['listener', 'load', 'install', 'timer', 'tool'];
const BIND_EXPOSURE: readonly Bind[] = ['all', 'unknown', 'loopback'];

/** A trigger with its key and exposure computed once, for code that compares many. */
export interface KeyedTrigger {
  trigger: Trigger;
  key: string;
  rank: number;
}

export function keyed(trigger: Trigger): KeyedTrigger {
  return { trigger, key: triggerKey(trigger), rank: exposureRank(trigger) };
}

/** Keyed triggers without duplicates, most exposed first, then by key. */
export function sortKeyed(triggers: readonly KeyedTrigger[]): Trigger[] {
  if (triggers.length === 1) return [triggers[0]!.trigger];
  return [...triggers].sort((a, b) => a.rank - b.rank || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((entry) => entry.trigger);
}

/** Adds a keyed trigger to a list unless one with its key is there. */
export function addKeyed(list: KeyedTrigger[], trigger: KeyedTrigger): void {
  for (const known of list) if (known === trigger || known.key === trigger.key) return;
  list.push(trigger);
}

/** Triggers sorted most exposed first, then by key; duplicates removed. */
export function sortTriggers(triggers: Iterable<Trigger>): Trigger[] {
  const list: KeyedTrigger[] = [];
  for (const trigger of triggers) addKeyed(list, keyed(trigger));
  return sortKeyed(list);
}

function exposureRank(trigger: Trigger): number {
  const kind = EXPOSURE.indexOf(trigger.kind) * 10;
  if (trigger.kind !== 'listener') return kind;
  return kind + BIND_EXPOSURE.indexOf(trigger.bind) * 2 + (trigger.checked ? 1 : 0);
}
