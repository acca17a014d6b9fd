import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { firstProblem } from '../../src-shared/profile-rules.js';
import { badRequest } from '../errors.js';

/**
 * Named queues and how many runs each may run at once, from
 * `<home>/config.yaml`:
 *
 *     queues:
 *       - name: batch
 *         max_concurrency: 2
 *
 * A queue not named there (a DAG's own, by default) runs one at a time.
 */
const configSchema = z.strictObject({
  queues: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        max_concurrency: z.number().int().min(1),
      }),
    )
    .default([]),
});

export type QueueLimits = (queue: string) => number;

export function loadQueueLimits(home: string): QueueLimits {
  const path = join(home, 'config.yaml');
  if (!existsSync(path)) return () => 1;
  const parsed = configSchema.safeParse(
    parse(readFileSync(path, 'utf8')) ?? {},
  );
  if (!parsed.success) {
    throw badRequest(`${path}: ${firstProblem(parsed.error)}`);
  }
  const limits = new Map(
    parsed.data.queues.map((q) => [q.name, q.max_concurrency]),
  );
  return (queue) => limits.get(queue) ?? 1;
}
