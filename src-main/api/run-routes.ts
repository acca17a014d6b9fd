import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type Actor, isAtLeast } from '../../src-shared/roles.js';
import { profileNameSchema } from '../../src-shared/profile-rules.js';
import { type DagFile } from '../dags/dag.js';
import { loadDagFile, parseDagSource } from '../dags/dag-loader.js';
import type { ProfileService } from '../profiles/service.js';
import { readLogLines } from '../runs/log-reader.js';
import type { RunEngine, RunOutcome } from '../runs/run-engine.js';
import {
  type RunRow,
  findOrLatestRun,
  listRuns,
  readSteps,
  runById,
} from '../runs/run-store.js';
import { runDetails, runSummary } from '../runs/run-view.js';
import { RUN_STATUS, type RunStatus } from '../runs/status.js';
import {
  ApiError,
  apiBadRequest,
  apiNotFound,
  asDagu,
  insufficientPermissions,
} from './api-error.js';
import { jsonBody } from './body.js';
import type { ApiEnv } from './guards.js';

const DAG_NAME = /^[a-zA-Z0-9_.-]{1,40}$/;
const RUN_ID = /^[-a-zA-Z0-9_]{1,64}$/;
const SYNC_TIMEOUT_DEFAULT_SEC = 600;

/**
 * Dagu's run-start bodies: unknown fields (`singleton`, `labels`, ...)
 * are accepted so Dagu scripts keep working, and ignored.
 */
const startBody = z.looseObject({
  params: z.string().optional(),
  dagRunId: z.string().optional(),
  profile: z.string().optional(),
  profileName: z.string().optional(),
  queue: z.string().optional(),
  timeout: z.number().int().min(1).max(86_400).optional(),
});
const inlineBody = startBody.extend({
  spec: z.string({ error: 'spec is required' }).min(1, 'spec is required'),
  name: z.string().optional(),
});
const retryBody = z.looseObject({
  dagRunId: z.string().optional(),
  stepName: z.string().optional(),
});

export interface RunRouteDeps {
  engine: RunEngine;
  profiles: ProfileService;
  home: string;
  dagsDir: string;
  /** Runs started from the API, so the server can wait for them to stop. */
  background: Set<Promise<unknown>>;
}

/** Dagu's run endpoints: start, enqueue, inline runs, status, retry, stop, logs. */
export function runRoutes(deps: RunRouteDeps): Hono<ApiEnv> {
  const api = new Hono<ApiEnv>();
  const { engine } = deps;

  api.post('/dags/:fileName/start', async (c) => {
    const body = await jsonBody(c, startBody);
    const file = dagFile(deps, c.req.param('fileName'));
    const { run } = launch(deps, c.get('actor'), file, body);
    return c.json({ dagRunId: run.run_id });
  });

  api.post('/dags/:fileName/start-sync', async (c) => {
    const body = await jsonBody(c, startBody);
    const file = dagFile(deps, c.req.param('fileName'));
    const { run, done } = launch(deps, c.get('actor'), file, body);
    return waitFor(
      c,
      deps,
      run,
      done,
      body.timeout ?? SYNC_TIMEOUT_DEFAULT_SEC,
    );
  });

  api.post('/dags/:fileName/enqueue', async (c) => {
    const body = await jsonBody(c, startBody);
    const file = dagFile(deps, c.req.param('fileName'));
    return c.json({
      dagRunId: enqueue(deps, c.get('actor'), file, body).run_id,
    });
  });

  api.post('/dag-runs', async (c) => {
    const body = await jsonBody(c, inlineBody);
    const file = inlineFile(deps, c.get('actor'), body);
    const { run } = launch(deps, c.get('actor'), file, body);
    return c.json({ dagRunId: run.run_id });
  });

  api.post('/dag-runs/enqueue', async (c) => {
    const body = await jsonBody(c, inlineBody);
    const file = inlineFile(deps, c.get('actor'), body);
    return c.json({
      dagRunId: enqueue(deps, c.get('actor'), file, body).run_id,
    });
  });

  api.get('/dag-runs', (c) => c.json(runPage(deps, c, undefined)));
  api.get('/dag-runs/:name', (c) =>
    c.json(runPage(deps, c, dagName(c.req.param('name')))),
  );

  api.get('/dag-runs/:name/:dagRunId', (c) => {
    const run = findOrLatest(
      deps,
      c.req.param('name'),
      c.req.param('dagRunId'),
    );
    return c.json({ dagRunDetails: runDetails(engine.db, deps.home, run) });
  });

  api.post('/dag-runs/:name/:dagRunId/retry', async (c) => {
    const body = await jsonBody(c, retryBody);
    const run = findOrLatest(
      deps,
      c.req.param('name'),
      c.req.param('dagRunId'),
    );
    if (
      body.dagRunId &&
      body.dagRunId !== run.run_id &&
      c.req.param('dagRunId') !== 'latest'
    ) {
      throw apiBadRequest(
        'dagRunId in the request body must match the path parameter',
      );
    }
    requireRunner(c.get('actor'));
    if (run.profile_name)
      checkProfile(deps, c.get('actor'), run.profile_name, 'inherit');
    if (run.status === RUN_STATUS.running || run.status === RUN_STATUS.queued) {
      throw apiBadRequest(
        `dag-run ${run.run_id} of DAG ${run.dag_name} has not ended: retry it once it has`,
      );
    }
    const done = asDagu(() =>
      engine.retry(run.dag_name, run.run_id, body.stepName),
    );
    track(deps, done);
    await Promise.race([done, nextTick()]);
    return c.body(null, 200);
  });

  api.post('/dag-runs/:name/:dagRunId/stop', (c) => {
    requireRunner(c.get('actor'));
    const run = findOrLatest(
      deps,
      c.req.param('name'),
      c.req.param('dagRunId'),
    );
    if (run.status !== RUN_STATUS.running && run.status !== RUN_STATUS.queued) {
      throw new ApiError('not_running', 'DAG is not running');
    }
    engine.stop(run.dag_name, run.run_id);
    return c.body(null, 200);
  });

  api.get('/dag-runs/:name/:dagRunId/steps/:stepName/log', async (c) => {
    const run = findOrLatest(
      deps,
      c.req.param('name'),
      c.req.param('dagRunId'),
    );
    const stepName = c.req.param('stepName');
    const steps = run.latest_attempt
      ? readSteps(engine.db, run.latest_attempt)
      : [];
    const step = steps.find((s) => s.name === stepName);
    if (!step)
      throw apiNotFound(`step ${stepName} not found in DAG ${run.dag_name}`);
    const stream = c.req.query('stream') ?? 'stdout';
    if (stream !== 'stdout' && stream !== 'stderr')
      throw apiBadRequest('stream must be stdout or stderr');
    const path = stream === 'stdout' ? step.stdout_path : step.stderr_path;
    if (!path || !existsSync(path))
      throw apiNotFound(`log file not found for step ${stepName}`);
    const slice = await readLogLines(path, lineWindow(c));
    return c.json({
      content: slice.lines.join('\n'),
      ...(slice.lines.length > 0 ? { lineCount: slice.lines.length } : {}),
      ...(slice.totalLines > 0 ? { totalLines: slice.totalLines } : {}),
      ...(slice.hasMore ? { hasMore: true } : {}),
    });
  });

  return api;
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function track(deps: RunRouteDeps, done: Promise<unknown>): void {
  const settled = done
    .catch(() => undefined)
    .finally(() => deps.background.delete(settled));
  deps.background.add(settled);
}

/** Operators and above start, retry and stop runs. */
function requireRunner(actor: Actor): void {
  if (!isAtLeast(actor.role, 'operator')) throw insufficientPermissions();
}

/** The profile a body names: `profile`, or its alias `profileName`; `""` is none. */
function profileOf(body: z.infer<typeof startBody>): string | undefined {
  const named = (body.profile ?? body.profileName)?.trim();
  return named ? named : undefined;
}

function checkProfile(
  deps: RunRouteDeps,
  actor: Actor,
  name: string,
  mode: 'use' | 'inherit',
): void {
  if (!profileNameSchema.safeParse(name).success) {
    throw apiBadRequest(`invalid profile name: ${JSON.stringify(name)}`);
  }
  asDagu(() => deps.profiles.checkUsable(actor, name, mode), {
    not_found: `runtime profile ${name} not found`,
    bad_request: `runtime profile ${name} is disabled`,
  });
}

function launch(
  deps: RunRouteDeps,
  actor: Actor,
  file: DagFile,
  body: z.infer<typeof startBody>,
) {
  requireRunner(actor);
  const profile = profileOf(body);
  if (profile) checkProfile(deps, actor, profile, 'use');
  const started = asDagu(() =>
    deps.engine.launch({
      file,
      paramsText: body.params,
      profile,
      runId: body.dagRunId || undefined,
    }),
  );
  track(deps, started.done);
  return started;
}

function enqueue(
  deps: RunRouteDeps,
  actor: Actor,
  file: DagFile,
  body: z.infer<typeof startBody>,
): RunRow {
  requireRunner(actor);
  const profile = profileOf(body);
  if (profile) checkProfile(deps, actor, profile, 'use');
  return asDagu(() =>
    deps.engine.enqueue({
      file,
      paramsText: body.params,
      profile,
      runId: body.dagRunId || undefined,
      queue: body.queue,
    }),
  );
}

/** A DAG file of the DAGs folder, by its name without extension. */
function dagFile(deps: RunRouteDeps, fileName: string): DagFile {
  const name = dagName(fileName);
  const path = ['.yaml', '.yml']
    .map((ext) => join(deps.dagsDir, name + ext))
    .find(existsSync);
  if (!path) throw apiNotFound(`DAG ${name} not found`);
  return asDagu(() => loadDagFile(path));
}

/** Inline DAGs are written by their caller: developers and above. */
function inlineFile(
  deps: RunRouteDeps,
  actor: Actor,
  body: z.infer<typeof inlineBody>,
): DagFile {
  if (!isAtLeast(actor.role, 'developer')) throw insufficientPermissions();
  const name = body.name === undefined ? undefined : dagName(body.name);
  // Named like a file of the DAGs folder (it is never written), so a spec
  // without `name:` takes the body's, and steps run in the DAGs folder.
  const path = join(deps.dagsDir, `${name ?? 'inline'}.yaml`);
  const file = asDagu(() => parseDagSource(body.spec, path));
  if (name && file.main.name !== name) {
    throw apiBadRequest(
      `the spec names its DAG ${file.main.name}: name must be the same, or left out`,
    );
  }
  return file;
}

/** A DAG or file name: no separators, so nothing outside the DAGs folder. */
function dagName(name: string): string {
  if (!DAG_NAME.test(name) || name === '.' || name === '..') {
    throw apiBadRequest(
      name.length > 40
        ? 'name must be less than 40 characters'
        : 'name must only contain alphanumeric characters, dashes, dots, and underscores',
    );
  }
  return name;
}

function findOrLatest(deps: RunRouteDeps, name: string, runId: string): RunRow {
  const dag = dagName(name);
  if (runId !== 'latest' && !RUN_ID.test(runId)) {
    throw apiNotFound(`dag-run ID ${runId} not found for DAG ${dag}`);
  }
  return findOrLatestRun(deps.engine.db, dag, runId);
}

function runPage(
  deps: RunRouteDeps,
  c: Context<ApiEnv>,
  dag: string | undefined,
) {
  const limit = intQuery(c, 'limit', 100, 1, 500);
  const statuses = c.req.queries('status')?.map((s) => {
    const status = Number(s);
    if (!Number.isInteger(status) || status < 0 || status > 6)
      throw apiBadRequest(`invalid status ${JSON.stringify(s)}: use 0 to 6`);
    return status as RunStatus;
  });
  const cursor = c.req.query('cursor');
  const decoded =
    cursor === undefined
      ? undefined
      : Buffer.from(cursor, 'base64url').toString();
  if (decoded !== undefined && !/^[1-9]\d*$/.test(decoded)) {
    throw apiBadRequest('invalid cursor: pass back the nextCursor of a page');
  }
  const before = decoded === undefined ? undefined : Number(decoded);
  const rows = listRuns(deps.engine.db, {
    dagName: dag ?? c.req.query('name'),
    statuses,
    limit: limit + 1,
    before,
  });
  const page = rows.slice(0, limit);
  const next =
    rows.length > limit
      ? Buffer.from(String(page.at(-1)!.id)).toString('base64url')
      : undefined;
  return {
    dagRuns: page.map(runSummary),
    ...(next ? { nextCursor: next } : {}),
  };
}

function intQuery(
  c: Context,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw apiBadRequest(
      `${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function lineWindow(c: Context) {
  const optional = (name: string, max: number) =>
    c.req.query(name) === undefined ? undefined : intQuery(c, name, 1, 1, max);
  return {
    tail: optional('tail', 1_000_000),
    head: optional('head', 1_000_000),
    offset: optional('offset', Number.MAX_SAFE_INTEGER),
    limit: intQuery(c, 'limit', 1000, 1, 10_000),
  };
}

async function waitFor(
  c: Context,
  deps: RunRouteDeps,
  run: RunRow,
  done: Promise<RunOutcome>,
  seconds: number,
) {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), seconds * 1000);
  });
  const outcome = await Promise.race([done, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    const message =
      `timeout waiting for DAG ${run.dag_name} to complete after ` +
      `${seconds} seconds; DAG run continues in background`;
    return c.json({ code: 'timeout', message, dagRunId: run.run_id }, 408);
  }
  return c.json({
    dagRun: runDetails(
      deps.engine.db,
      deps.home,
      runById(deps.engine.db, run.id)!,
    ),
  });
}
