import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src-main/api/app.js';
import { apiHarness } from '../support/api.js';

describe('bad input to the API', () => {
  it('gets a 4xx with a clear message, never a 500', async () => {
    const api = await apiHarness();
    api.writeDag('d', 'steps:\n  - run: "true"\n');
    await api.call('POST', '/profiles', { body: { name: 'prod' } });
    const cases: [
      string,
      string,
      { raw?: string; body?: unknown },
      number,
      RegExp,
    ][] = [
      [
        'POST',
        '/profiles',
        { raw: '{"name": "x",' },
        400,
        /^the request body is not valid JSON: /,
      ],
      ['POST', '/profiles', { raw: '[1, 2]' }, 400, /^invalid request body: /],
      [
        'POST',
        '/profiles',
        { body: { name: 3 } },
        400,
        /^invalid request body: name: /,
      ],
      [
        'POST',
        '/profiles',
        { body: { name: 'x', color: 'red' } },
        400,
        /^invalid request body: Unrecognized key: "color"/,
      ],
      [
        'PATCH',
        '/profiles/prod',
        { body: { protected: 'yes' } },
        400,
        /^invalid request body: protected: /,
      ],
      [
        'PUT',
        '/profiles/prod/variables/K',
        { body: { value: 'x', extra: 1 } },
        400,
        /Unrecognized key: "extra"/,
      ],
      [
        'PUT',
        '/profiles/prod/variables/K',
        { body: { value: 42 } },
        400,
        /^invalid request body: value: /,
      ],
      [
        'POST',
        '/dags/d/start',
        { body: { params: ['A=1'] } },
        400,
        /^invalid request body: params: /,
      ],
      [
        'POST',
        '/dags/d/start',
        { body: { dagRunId: 'has space' } },
        400,
        /^invalid dag-run ID "has space"/,
      ],
      [
        'POST',
        '/dags/d/start',
        { body: { params: 'NOPE=1 A B' } },
        400,
        /^unknown parameter "NOPE"|^too many positional/,
      ],
      ['POST', '/dags/nope/start', { body: {} }, 404, /^DAG nope not found$/],
      [
        'POST',
        '/dag-runs',
        { body: {} },
        400,
        /^invalid request body: spec: spec is required$/,
      ],
      [
        'POST',
        '/dag-runs',
        { body: { spec: 'steps: [{run: x, continueOn: failed}]' } },
        400,
        /continueOn -> continue_on/,
      ],
      [
        'GET',
        '/dag-runs?limit=abc',
        {},
        400,
        /^limit must be a whole number from 1 to 500/,
      ],
      ['GET', '/dag-runs?cursor=%%%', {}, 400, /cursor/],
      [
        'GET',
        '/dag-runs/d/latest/steps/x/log?stream=both',
        {},
        404,
        /no dag-runs found for DAG d/,
      ],
      [
        'GET',
        '/nowhere',
        {},
        404,
        /^no such endpoint: GET \/api\/v1\/nowhere$/,
      ],
    ];
    for (const [method, path, options, status, message] of cases) {
      const reply = await api.call(method, path, options);
      expect({ path, status: reply.status }).toEqual({ path, status });
      expect(reply.json?.message, `${method} ${path}`).toMatch(message);
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const api = await apiHarness();
    const reply = await api.call('POST', '/profiles', {
      raw: JSON.stringify({
        name: 'x',
        description: 'y'.repeat(MAX_BODY_BYTES),
      }),
    });
    expect(reply.status).toBe(413);
    expect(reply.json).toEqual({
      code: 'bad_request',
      message: `the request body is larger than ${MAX_BODY_BYTES} bytes`,
    });
  });

  it.each([
    '..%2F..%2Fetc%2Fpasswd',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '%2E%2E',
    '..',
    'etc%2Fpasswd',
    '%2Fetc%2Fpasswd',
    'a%00b',
  ])(
    'never reads outside the DAGs folder for fileName %s',
    async (fileName) => {
      const api = await apiHarness();
      const reply = await api.call('POST', `/dags/${fileName}/start`, {
        body: {},
      });
      expect(reply.status).toBeGreaterThanOrEqual(400);
      expect(reply.status).toBeLessThan(500);
      expect(reply.text).not.toContain('root:');
      expect((await api.call('GET', '/dag-runs')).json.dagRuns).toEqual([]);
    },
  );
});
