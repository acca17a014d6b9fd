import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { firstProblem } from '../src-shared/profile-rules.js';
import { badRequest } from './errors.js';

/**
 * Settings in `<home>/config.yaml`, all optional:
 *
 *     queues:             # named queues that run more than one at a time
 *       - name: batch
 *         max_concurrency: 2
 *     server:             # the desktop app serves the REST API too
 *       enabled: true
 *       port: 8080
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
  server: z
    .strictObject({
      enabled: z.boolean().default(false),
      port: z.number().int().min(0).max(65_535).default(8080),
    })
    .optional(),
});

export type HomeConfig = z.infer<typeof configSchema>;

export function loadHomeConfig(home: string): HomeConfig {
  const path = join(home, 'config.yaml');
  if (!existsSync(path)) return configSchema.parse({});
  const parsed = configSchema.safeParse(
    parse(readFileSync(path, 'utf8')) ?? {},
  );
  if (!parsed.success)
    throw badRequest(`${path}: ${firstProblem(parsed.error)}`);
  return parsed.data;
}

/** How many runs of a queue may run at once: 1 unless the config says more. */
export type QueueLimits = (queue: string) => number;

export function loadQueueLimits(home: string): QueueLimits {
  const limits = new Map(
    loadHomeConfig(home).queues.map((q) => [q.name, q.max_concurrency]),
  );
  return (queue) => limits.get(queue) ?? 1;
}
