import { setTimeout as sleep } from 'node:timers/promises';
import { drainQueue } from './queue.js';
import type { QueueLimits } from '../home-config.js';
import type { RunEngine } from './run-engine.js';

const POLL_MS = 1_000;

/** Works the queue for as long as a server runs: drains it, then looks again. */
export function startQueueWorker(engine: RunEngine, limits: QueueLimits) {
  const stopping = new AbortController();
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      await drainQueue(engine, limits, stopping.signal);
      await sleep(POLL_MS, undefined, { signal: stopping.signal }).catch(
        () => undefined,
      );
    }
  })();
  return {
    /** Claims nothing more, stops what runs, and waits for it to end. */
    async stop(): Promise<void> {
      stopping.abort();
      engine.stopAll();
      await loop;
    },
  };
}
