import { Worker } from 'node:worker_threads';
import type { FileFacts } from '../model/file-facts.js';
import type { ExtractAnswer, ExtractRequest } from './extract-worker.js';

// Threads that turn JavaScript files into facts (extract.ts) beside the main thread, while one
// bundle's module graph is walked (prefetch.ts). They start on the first file handed to them, get
// copies of the bytes of one file at a time and send back its facts: the same plain data the main
// thread would have made. A thread that fails loses only its own files, which the main thread then
// reads itself (extract answers null), as it does a file nested too deeply for a thread's stack;
// the pool never throws. The threads end when the walk that woke them is done (rest).

const WORKER_SCRIPT = new URL('./extract-worker.js', import.meta.url);
/**
 * Bytes of code the walk must have found before threads are worth starting. A thread costs its own
 * start, a second copy of the parser's compiled code and of every young object's garbage collection;
 * on the corpus (npm run bench) it paid only for the server that loads 38 MB of code, and cost up
 * to 15% on those loading 16 and 24 MB.
 */
const POOL_PAYS_FROM_BYTES = 30_000_000;
/**
 * A thread's stack, smaller than the main thread's (V8's 984 KB; a thread gets this less 192 KB): a
 * file a thread reads whole, the main thread would read whole too, and one nested too deeply for the
 * thread is read again on the main thread (ExtractAnswer), so that where a file is cut short never
 * depends on which thread took it.
 */
const THREAD_STACK_MB = 1;
/**
 * A thread's heap beyond its young generation. A thread holds one file's tree at a time and sends
 * its facts away, so it needs little (the 40 largest files of the corpus, up to 1.6 MB, are read in
 * 64 MB); at V8's default limit its heap grew to several times that between collections, and
 * google-calendar's peak with it (720 to 830 MB, median of three). A thread that runs out is ended
 * by Node and loses only its own files, which the main thread then reads, as for any lost thread.
 */
const THREAD_HEAP_MB = 128;
/** Files handed to one thread before it answers: enough that it never waits for the main thread, which may be busy with a file of its own. */
const QUEUED_PER_THREAD = 4;

interface Thread {
  worker: Worker;
  pending: Map<number, (facts: FileFacts | null) => void>;
}

export class ExtractPool {
  private readonly threads: Thread[] = [];
  private started = false;
  private nextId = 0;

  /** `size`: threads besides the main thread; `paysFrom`: see pays; `heapMb`: see THREAD_HEAP_MB. */
  constructor(
    private readonly size: number,
    private readonly paysFrom = POOL_PAYS_FROM_BYTES,
    private readonly heapMb = THREAD_HEAP_MB,
  ) {}

  /** Whether a walk that has found this many bytes of code to read should hand files to the threads. */
  pays(foundBytes: number): boolean {
    return foundBytes >= this.paysFrom;
  }

  /** Threads started and not lost. */
  get running(): number {
    return this.threads.length;
  }

  /** How many more files the threads can take now. */
  room(): number {
    if (!this.started) return this.size * QUEUED_PER_THREAD;
    return this.threads.reduce((sum, thread) => sum + QUEUED_PER_THREAD - thread.pending.size, 0);
  }

  /** The facts of one file, or null when its thread failed or left it to the main thread (ExtractAnswer). */
  extract(path: string, bytes: Uint8Array): Promise<FileFacts | null> {
    this.start();
    const thread = this.threads.reduce<Thread | undefined>((least, next) => (least === undefined || next.pending.size < least.pending.size ? next : least), undefined);
    if (thread === undefined) return Promise.resolve(null);
    const id = this.nextId++;
    // A copy of exactly the file's bytes, moved to the thread (a view would send, and detach, the whole
    // archive's buffer; a Buffer's slice is a view).
    const copy = new Uint8Array(bytes);
    return new Promise((settle) => {
      thread.pending.set(id, settle);
      thread.worker.postMessage({ id, path, bytes: copy } satisfies ExtractRequest, [copy.buffer]);
    });
  }

  /**
   * Ends the threads once a bundle's walk is done, so that their heaps are let go before its analysis
   * builds its own (google-calendar's peak about 50 to 75 MB lower); the next file handed over starts
   * them again.
   */
  async rest(): Promise<void> {
    await this.close();
    this.started = false;
  }

  /** Ends the threads for good: files handed over later are left to the main thread. */
  async close(): Promise<void> {
    await Promise.all(this.threads.splice(0).map((thread) => thread.worker.terminate()));
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (let index = 0; index < this.size; index++) {
      const thread: Thread = { worker: new Worker(WORKER_SCRIPT, { resourceLimits: { stackSizeMb: THREAD_STACK_MB, maxOldGenerationSizeMb: this.heapMb } }), pending: new Map() };
      thread.worker.on('message', ({ id, facts }: ExtractAnswer) => {
        thread.pending.get(id)?.(facts);
        thread.pending.delete(id);
      });
      const lost = () => {
        const at = this.threads.indexOf(thread);
        if (at !== -1) this.threads.splice(at, 1);
        for (const settle of thread.pending.values()) settle(null);
        thread.pending.clear();
      };
      thread.worker.on('error', lost);
      thread.worker.on('exit', lost);
      this.threads.push(thread);
    }
  }
}
