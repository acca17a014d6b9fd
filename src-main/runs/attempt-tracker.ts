import type { Db } from '../store/database.js';
import { attemptById, heartbeat, requestStop } from './run-store.js';

const STOP_POLL_MS = 500;
const HEARTBEAT_EVERY = 10; // polls, so every 5 s

/**
 * The attempts this process runs. It beats their heartbeat (so others can
 * tell this process is alive) and checks the store for a stop another
 * process asked for.
 */
export class AttemptTracker {
  readonly #active = new Map<string, AbortController>();
  #poller: NodeJS.Timeout | undefined;
  #polls = 0;

  constructor(private readonly db: Db) {}

  track(attemptId: string, controller: AbortController): void {
    this.#active.set(attemptId, controller);
    this.#poller ??= setInterval(() => this.poll(), STOP_POLL_MS).unref();
  }

  untrack(attemptId: string): void {
    this.#active.delete(attemptId);
    if (this.#active.size === 0) this.close();
  }

  /** Stops one attempt, if this process runs it. */
  stop(attemptId: string): void {
    this.#active.get(attemptId)?.abort();
  }

  /** Stops every attempt this process runs, as Ctrl-C does. */
  stopAll(): void {
    for (const [attemptId, controller] of this.#active) {
      requestStop(this.db, attemptId);
      controller.abort();
    }
  }

  get size(): number {
    return this.#active.size;
  }

  close(): void {
    clearInterval(this.#poller);
    this.#poller = undefined;
  }

  private poll(): void {
    const ids = [...this.#active.keys()];
    if (++this.#polls % HEARTBEAT_EVERY === 0) heartbeat(this.db, ids);
    for (const id of ids) {
      if (attemptById(this.db, id)?.stop_requested === 1) this.stop(id);
    }
  }
}
