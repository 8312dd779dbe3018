// Python calls that call a function they are handed, with arguments they are handed: an event
// loop's `run_in_executor(None, fn, *args)`, an executor's `submit(fn, *args)`,
// `asyncio.to_thread(fn, *args)`, `functools.partial(fn, *args)`, `map(fn, items)`, a thread's or a
// process's `target=` with its `args=`. Handing a sink to one (`loop.run_in_executor(None, exec,
// code)`, `Thread(target=os.system, args=(cmd,))`) runs that sink as surely as calling it, and hides
// the call from a reader looking for `exec(`: the extractor records the call the invoker makes.

/**
 * Where an invoker takes the function and its arguments: positions in the call's argument facts
 * (after the instance a method works on, when the extractor put it first), or keywords.
 */
export interface Invoker {
  functionAt?: number;
  /** The first of the positional arguments handed on; the keywords fact after them goes along. */
  argumentsFrom?: number;
  functionKeyword?: string;
  /** A keyword holding the tuple of arguments handed on (`args=(cmd,)`). */
  argumentsKeyword?: string;
}

const POSITIONAL = (functionAt: number): Invoker => ({ functionAt, argumentsFrom: functionAt + 1 });
const TARGET: Invoker = { functionKeyword: 'target', argumentsKeyword: 'args' };

const INVOKERS: Readonly<Record<string, Invoker>> = {
  // The loop is argument 0 when its type is known (asyncio.get_running_loop()), then the executor.
  'asyncio.AbstractEventLoop.run_in_executor': POSITIONAL(2),
  'member:run_in_executor': POSITIONAL(1),
  'asyncio.to_thread': POSITIONAL(0),
  'functools.partial': POSITIONAL(0),
  'member:submit': POSITIONAL(0),
  'local:map': POSITIONAL(0),
  'threading.Thread': TARGET,
  'multiprocessing.Process': TARGET,
  'threading.Timer': { functionAt: 1, functionKeyword: 'function', argumentsKeyword: 'args' },
};

export function invokerOf(callee: string): Invoker | null {
  return Object.hasOwn(INVOKERS, callee) ? INVOKERS[callee]! : null;
}
