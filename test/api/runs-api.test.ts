import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { admin } from '../support/actors.js';
import { apiHarness, untilEnded } from '../support/api.js';

const SECRET = 'run-api-secret-31c5';

async function withProfile() {
  const api = await apiHarness();
  api.core.profiles.create(admin, { name: 'prod' });
  api.core.profiles.setSecret(admin, 'prod', 'TOKEN', SECRET);
  return api;
}

describe('starting runs', () => {
  it('start returns the run id at once; the run uses the profile', async () => {
    const api = await withProfile();
    api.writeDag(
      'd',
      'params: "WHO=x"\n' +
        'steps:\n' +
        '  - {name: greet, run: "echo $WHO $TOKEN; ' +
        'printf %s \\"$TOKEN\\" > got"}\n',
    );
    const reply = await api.call('POST', '/dags/d/start', {
      body: { profile: 'prod', params: 'WHO=api', dagRunId: 'r-1' },
    });
    expect(reply).toMatchObject({ status: 200, json: { dagRunId: 'r-1' } });
    const details = await untilEnded(api, 'd', 'r-1');
    expect(details).toMatchObject({
      statusLabel: 'succeeded',
      profileName: 'prod',
      params: 'WHO=api',
    });

    const log = await api.call('GET', '/dag-runs/d/r-1/steps/greet/log');
    expect(log.json).toEqual({
      content: 'api *******',
      lineCount: 1,
      totalLines: 1,
    });
    for (const body of api.replies) expect(body).not.toContain(SECRET);
  });

  it('start-sync waits and returns the run; it times out with 408 and the run id', async () => {
    const api = await apiHarness();
    api.writeDag('quick', 'steps:\n  - run: "true"\n');
    api.writeDag('slow', 'steps:\n  - run: sleep 5\n');
    const done = await api.call('POST', '/dags/quick/start-sync', { body: {} });
    expect(done.json.dagRun).toMatchObject({
      name: 'quick',
      statusLabel: 'succeeded',
    });
    const late = await api.call('POST', '/dags/slow/start-sync', {
      body: { timeout: 1 },
    });
    expect(late.status).toBe(408);
    expect(late.json).toEqual({
      code: 'timeout',
      message:
        'timeout waiting for DAG slow to complete after 1 seconds; DAG run continues in background',
      dagRunId: expect.any(String),
    });
    await api.call('POST', `/dag-runs/slow/${late.json.dagRunId}/stop`);
  });

  it('accepts profileName as an alias, and profile "" as none', async () => {
    const api = await withProfile();
    api.writeDag(
      'd',
      'steps:\n  - run: printf %s "${TOKEN:-none}" > got-$DAG_RUN_ID\n',
    );
    await api.call('POST', '/dags/d/start', {
      body: { profileName: 'prod', dagRunId: 'alias' },
    });
    await api.call('POST', '/dags/d/start', {
      body: { profile: '', profileName: 'prod', dagRunId: 'none' },
    });
    expect((await untilEnded(api, 'd', 'alias')).profileName).toBe('prod');
    expect((await untilEnded(api, 'd', 'none')).profileName).toBeUndefined();
  });

  it('checks the profile before launch: unknown 404, disabled 400, protected 403', async () => {
    const api = await withProfile();
    api.core.profiles.create(admin, { name: 'off' });
    api.core.profiles.update(admin, 'off', { status: 'disabled' });
    api.core.profiles.create(admin, { name: 'vault', protected: true });
    api.writeDag('d', 'steps:\n  - run: "true"\n');
    const start = (profile: string, role: 'admin' | 'operator' = 'admin') =>
      api.call('POST', '/dags/d/start', { role, body: { profile } });
    expect((await start('ghost')).json).toEqual({
      code: 'not_found',
      message: 'runtime profile ghost not found',
    });
    expect((await start('ghost')).status).toBe(404);
    expect(await start('off')).toMatchObject({
      status: 400,
      json: { message: 'runtime profile off is disabled' },
    });
    expect(await start('vault', 'operator')).toMatchObject({
      status: 403,
      json: { message: 'Insufficient permissions' },
    });
    expect(await start('Bad')).toMatchObject({
      status: 400,
      json: { message: 'invalid profile name: "Bad"' },
    });
    expect((await api.call('GET', '/dag-runs')).json.dagRuns).toEqual([]);
  });

  it('enqueue queues the run; the server works the queue', async () => {
    const api = await withProfile();
    api.writeDag('d', 'steps:\n  - run: printf %s "$TOKEN" > got\n');
    const reply = await api.call('POST', '/dags/d/enqueue', {
      body: { profile: 'prod', dagRunId: 'q-1' },
    });
    expect(reply.json).toEqual({ dagRunId: 'q-1' });
    expect(await untilEnded(api, 'd', 'q-1')).toMatchObject({
      statusLabel: 'succeeded',
      profileName: 'prod',
    });
  });

  it('runs inline specs from POST /dag-runs and /dag-runs/enqueue', async () => {
    const api = await apiHarness();
    const spec = 'steps:\n  - run: echo inline > inline-ran\n';
    const started = await api.call('POST', '/dag-runs', {
      role: 'developer',
      body: { spec, name: 'adhoc' },
    });
    const inline = await untilEnded(api, 'adhoc', started.json.dagRunId);
    expect([inline.statusLabel, inline.error]).toEqual([
      'succeeded',
      undefined,
    ]);
    expect(existsSync(join(api.dags, 'inline-ran'))).toBe(true);
    const queued = await api.call('POST', '/dag-runs/enqueue', {
      body: { spec: 'name: other\nsteps:\n  - run: "true"\n' },
    });
    expect(
      (await untilEnded(api, 'other', queued.json.dagRunId)).statusLabel,
    ).toBe('succeeded');
    expect(
      (
        await api.call('POST', '/dag-runs', {
          role: 'operator',
          body: { spec },
        })
      ).status,
    ).toBe(403);
  });

  it('accepts the other fields of a Dagu start body and ignores them', async () => {
    const api = await apiHarness();
    api.writeDag('d', 'steps:\n  - run: "true"\n');
    const reply = await api.call('POST', '/dags/d/start', {
      body: { singleton: true, labels: ['team=a'], tags: [], dagName: 'x' },
    });
    expect(reply.status).toBe(200);
  });
});

describe('run history over the API', () => {
  it('lists runs newest first with a cursor, and reads the latest', async () => {
    const api = await apiHarness();
    api.writeDag('d', 'steps:\n  - run: "true"\n');
    for (const id of ['a', 'b', 'c']) {
      await api.call('POST', '/dags/d/start', { body: { dagRunId: id } });
      await untilEnded(api, 'd', id);
    }
    const first = await api.call('GET', '/dag-runs?limit=2');
    expect(
      first.json.dagRuns.map((r: { dagRunId: string }) => r.dagRunId),
    ).toEqual(['c', 'b']);
    const next = await api.call(
      'GET',
      `/dag-runs?limit=2&cursor=${first.json.nextCursor}`,
    );
    expect(next.json).toEqual({
      dagRuns: [expect.objectContaining({ dagRunId: 'a' })],
    });
    expect(
      (await api.call('GET', '/dag-runs/d/latest')).json.dagRunDetails.dagRunId,
    ).toBe('c');
    expect((await api.call('GET', '/dag-runs?status=2')).json.dagRuns).toEqual(
      [],
    );
    expect((await api.call('GET', '/dag-runs/d/nope')).json).toEqual({
      code: 'not_found',
      message: 'dag-run ID nope not found for DAG d',
    });
  });

  it('lists the DAG files with their latest run', async () => {
    const api = await apiHarness();
    api.writeDag('etl', 'description: nightly\nsteps:\n  - run: "true"\n');
    api.writeDag('broken', 'steps: 3\n');
    const reply = await api.call('GET', '/dags');
    expect(reply.json.pagination).toEqual({
      totalRecords: 2,
      currentPage: 1,
      totalPages: 1,
      nextPage: 1,
      prevPage: 1,
    });
    expect(
      reply.json.dags.map((d: { fileName: string; errors: string[] }) => [
        d.fileName,
        d.errors.length,
      ]),
    ).toEqual([
      ['broken', 1],
      ['etl', 0],
    ]);
  });

  it('reads a step log by tail, head and offset', async () => {
    const api = await apiHarness();
    api.writeDag('d', 'steps:\n  - {name: count, run: "seq 1 10"}\n');
    await api.call('POST', '/dags/d/start', { body: { dagRunId: 'r' } });
    await untilEnded(api, 'd', 'r');
    const log = (query: string) =>
      api
        .call('GET', `/dag-runs/d/r/steps/count/log${query}`)
        .then((r) => r.json);
    expect(await log('?tail=2')).toEqual({
      content: '9\n10',
      lineCount: 2,
      totalLines: 10,
      hasMore: true,
    });
    expect(await log('?head=3')).toEqual({
      content: '1\n2\n3',
      lineCount: 3,
      totalLines: 10,
      hasMore: true,
    });
    expect(await log('?offset=9&limit=5')).toEqual({
      content: '9\n10',
      lineCount: 2,
      totalLines: 10,
    });
    expect(
      (await api.call('GET', '/dag-runs/d/r/steps/count/log?stream=stderr'))
        .json,
    ).toEqual({ content: '' });
    expect((await api.call('GET', '/dag-runs/d/r/steps/nope/log')).status).toBe(
      404,
    );
  });
});

describe('retry and stop over the API', () => {
  it('retry keeps the profile, protected or not, for an operator', async () => {
    const api = await apiHarness();
    api.core.profiles.create(admin, { name: 'vault', protected: true });
    api.core.profiles.setSecret(admin, 'vault', 'TOKEN', SECRET);
    api.writeDag('d', 'steps:\n  - run: test -f go\n');
    await api.call('POST', '/dags/d/start', {
      body: { profile: 'vault', dagRunId: 'r' },
    });
    expect((await untilEnded(api, 'd', 'r')).statusLabel).toBe('failed');
    writeFileSync(join(api.dags, 'go'), '');
    const retried = await api.call('POST', '/dag-runs/d/r/retry', {
      role: 'operator',
      body: { dagRunId: 'r' },
    });
    expect(retried).toMatchObject({ status: 200, text: '' });
    expect(await untilEnded(api, 'd', 'r')).toMatchObject({
      statusLabel: 'succeeded',
      profileName: 'vault',
      triggerType: 'retry',
    });
    const mismatch = await api.call('POST', '/dag-runs/d/r/retry', {
      body: { dagRunId: 'other' },
    });
    expect(mismatch.json).toEqual({
      code: 'bad_request',
      message: 'dagRunId in the request body must match the path parameter',
    });
  });

  it('stop ends a running run; a finished one is not_running', async () => {
    const api = await apiHarness();
    api.writeDag('d', 'steps:\n  - run: sleep 30\n');
    await api.call('POST', '/dags/d/start', { body: { dagRunId: 'r' } });
    const stop = await api.call('POST', '/dag-runs/d/r/stop');
    expect(stop).toMatchObject({ status: 200, text: '' });
    expect((await untilEnded(api, 'd', 'r')).statusLabel).toBe('aborted');
    const again = await api.call('POST', '/dag-runs/d/r/stop');
    expect(again).toMatchObject({
      status: 400,
      json: { code: 'not_running', message: 'DAG is not running' },
    });
  });
});
