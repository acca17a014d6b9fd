import { describe, expect, it } from 'vitest';
import { apiHarness } from '../support/api.js';

const SECRET = 'api-written-secret-77aa';

describe('the profile endpoints', () => {
  it('create (201), set a variable and a secret (200), read, and delete (204)', async () => {
    const api = await apiHarness();
    const created = await api.call('POST', '/profiles', {
      body: { name: 'prod', description: 'Production' },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'prod',
      description: 'Production',
      status: 'active',
      protected: false,
      entries: [],
    });

    const variable = await api.call(
      'PUT',
      '/profiles/prod/variables/LOG_LEVEL',
      { body: { value: 'info' } },
    );
    expect(variable.status).toBe(200);
    const secret = await api.call('PUT', '/profiles/prod/secrets/API_TOKEN', {
      body: { value: SECRET },
    });
    expect(secret.status).toBe(200);
    expect(secret.json.entries).toEqual([
      {
        key: 'API_TOKEN',
        kind: 'secret',
        secretId: expect.any(String),
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      {
        key: 'LOG_LEVEL',
        kind: 'variable',
        value: 'info',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
    ]);

    expect((await api.call('GET', '/profiles/prod')).json).toEqual(secret.json);
    expect((await api.call('GET', '/profiles')).json).toEqual({
      profiles: [secret.json],
    });
    const patched = await api.call('PATCH', '/profiles/prod', {
      body: { status: 'disabled', description: 'off' },
    });
    expect(patched.json).toMatchObject({
      status: 'disabled',
      description: 'off',
    });

    expect(
      (await api.call('DELETE', '/profiles/prod/entries/LOG_LEVEL')).status,
    ).toBe(204);
    expect((await api.call('DELETE', '/profiles/prod')).status).toBe(204);
    expect((await api.call('GET', '/profiles/prod')).status).toBe(404);
    for (const body of api.replies) expect(body).not.toContain(SECRET);
  });

  it("answers with Dagu's codes and messages", async () => {
    const api = await apiHarness();
    await api.call('POST', '/profiles', { body: { name: 'prod' } });
    await api.call('PUT', '/profiles/prod/variables/LEVEL', {
      body: { value: 'x' },
    });
    const cases: [string, string, unknown, number, string, string][] = [
      [
        'POST',
        '/profiles',
        { name: 'prod' },
        409,
        'already_exists',
        'Runtime profile already exists',
      ],
      [
        'POST',
        '/profiles',
        { name: 'Bad Name' },
        400,
        'bad_request',
        'invalid profile name: "Bad Name"',
      ],
      [
        'GET',
        '/profiles/Bad',
        undefined,
        404,
        'not_found',
        'Runtime profile not found',
      ],
      [
        'GET',
        '/profiles/ghost',
        undefined,
        404,
        'not_found',
        'Runtime profile not found',
      ],
      [
        'PATCH',
        '/profiles/Bad',
        {},
        400,
        'bad_request',
        'invalid profile name: "Bad"',
      ],
      [
        'PATCH',
        '/profiles/prod',
        { status: 'paused' },
        400,
        'bad_request',
        'invalid profile status',
      ],
      [
        'PUT',
        '/profiles/prod/variables/1ABC',
        { value: 'x' },
        400,
        'bad_request',
        'invalid profile key: "1ABC"',
      ],
      [
        'PUT',
        '/profiles/prod/variables/DAGU_HOME',
        { value: 'x' },
        400,
        'bad_request',
        'profile key is reserved: "DAGU_HOME"',
      ],
      [
        'PUT',
        '/profiles/prod/secrets/LEVEL',
        { value: 's3cret' },
        400,
        'bad_request',
        'profile key already exists: LEVEL',
      ],
      [
        'PUT',
        '/profiles/prod/secrets/TOKEN',
        { value: '' },
        400,
        'bad_request',
        'value must not be empty',
      ],
      [
        'PUT',
        '/profiles/prod/secrets/TOKEN',
        {},
        400,
        'bad_request',
        'value must not be empty',
      ],
      [
        'DELETE',
        '/profiles/prod/entries/NOPE',
        undefined,
        404,
        'not_found',
        'Runtime profile not found',
      ],
      [
        'DELETE',
        '/profiles/ghost',
        undefined,
        404,
        'not_found',
        'Runtime profile not found',
      ],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const reply = await api.call(method, path, { body });
      expect({ method, path, status: reply.status, body: reply.json }).toEqual({
        method,
        path,
        status,
        body: { code, message },
      });
    }
  });

  it('accepts an empty variable and a variable set without a value', async () => {
    const api = await apiHarness();
    await api.call('POST', '/profiles', { body: { name: 'dev' } });
    const reply = await api.call('PUT', '/profiles/dev/variables/EMPTY', {
      body: {},
    });
    expect(reply.json.entries[0]).toMatchObject({
      key: 'EMPTY',
      kind: 'variable',
      value: '',
    });
  });
});
