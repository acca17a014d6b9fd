import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { apiHarness } from '../support/api.js';

/** A request with a Host header of our choosing (fetch will not send one). */
function withHost(
  url: string,
  host: string,
  token: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path: '/api/v1/profiles',
        headers: { host, authorization: `Bearer ${token}` },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('API tokens', () => {
  it('refuses a request without a token with 401 and says how to get one', async () => {
    const api = await apiHarness();
    const reply = await api.call('GET', '/profiles', { token: null });
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe(
      'Bearer realm="dagdesk"',
    );
    expect(reply.json).toEqual({
      code: 'unauthorized',
      message:
        'an API token is required: send Authorization: Bearer <token> ' +
        '(make one with dagdesk token create)',
    });
  });

  it('refuses an unknown or revoked token with 401', async () => {
    const api = await apiHarness();
    expect(
      (await api.call('GET', '/profiles', { token: 'ddk_made-up' })).status,
    ).toBe(401);
    const made = api.core.tokens.create('admin', 'short-lived');
    expect(
      (await api.call('GET', '/profiles', { token: made.token })).status,
    ).toBe(200);
    api.core.tokens.revoke(made.id);
    const reply = await api.call('GET', '/profiles', { token: made.token });
    expect(reply).toMatchObject({
      status: 401,
      json: { code: 'unauthorized', message: 'unknown or revoked API token' },
    });
  });

  it('keeps only a hash of each token', async () => {
    const api = await apiHarness();
    const rows = api.core.db
      .prepare('SELECT token_hash FROM api_tokens')
      .all() as { token_hash: Buffer }[];
    const stored = Buffer.concat(rows.map((r) => r.token_hash));
    for (const token of Object.values(api.tokens))
      expect(stored.includes(Buffer.from(token))).toBe(false);
  });
});

describe('the Host header', () => {
  it.each(['localhost', '127.0.0.1', '[::1]'])(
    'accepts %s, with the port',
    async (name) => {
      const api = await apiHarness();
      const reply = await withHost(
        api.server.url,
        `${name}:${api.server.port}`,
        api.tokens.admin,
      );
      expect(reply.status).toBe(200);
    },
  );

  it.each(['evil.example', 'evil.example:80', '127.0.0.1.evil.example'])(
    'refuses %j (DNS rebinding)',
    async (host) => {
      const api = await apiHarness();
      const reply = await withHost(api.server.url, host, api.tokens.admin);
      expect(reply.status).toBe(403);
      expect(JSON.parse(reply.body).code).toBe('forbidden');
    },
  );

  it('sends no CORS headers, even when a page asks', async () => {
    const api = await apiHarness();
    const reply = await api.call('OPTIONS', '/profiles', {
      headers: {
        origin: 'http://evil.example',
        'access-control-request-method': 'GET',
      },
    });
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    const get = await api.call('GET', '/profiles', {
      headers: { origin: 'http://evil.example' },
    });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('dagdesk serve', () => {
  it('listens on loopback only', async () => {
    const { startApiServer } = await import('../../src-main/api/server.js');
    const api = await apiHarness();
    await expect(
      startApiServer(api.core, undefined as never, {
        host: '0.0.0.0',
        port: 0,
        dagsDir: api.dags,
      }),
    ).rejects.toThrow(
      '--host must be a loopback address (127.0.0.1, ::1, localhost): ' +
        'the API is for this machine only',
    );
  });
});
