import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { ROLES, type Role } from '../../src-shared/roles.js';
import { type ApiServer, startApiServer } from '../../src-main/api/server.js';
import type { Core } from '../../src-main/core.js';
import { RunEngine } from '../../src-main/runs/run-engine.js';
import { admin } from './actors.js';
import { testCore } from './core.js';
import { tempHome } from './temp-home.js';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface ApiHarness {
  core: Core;
  home: string;
  dags: string;
  server: ApiServer;
  /** A token for each role. */
  tokens: Record<Role, string>;
  /** Every body the server sent, to search for secrets. */
  replies: string[];
  writeDag(name: string, yaml: string): void;
  call(
    method: string,
    path: string,
    options?: {
      role?: Role;
      token?: string | null;
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Reply>;
}

const servers: ApiServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** A real server on a free loopback port, over a real store. */
export async function apiHarness(): Promise<ApiHarness> {
  const home = tempHome();
  const dags = join(home, 'dags');
  mkdirSync(dags, { recursive: true });
  const core = testCore(undefined, home);
  const engine = new RunEngine({
    db: core.db,
    vault: core.vault,
    registry: core.registry,
    home,
    dagsDir: dags,
    hostEnv: { PATH: process.env.PATH!, HOME: home },
    actor: admin,
    targets: {},
  });
  const server = await startApiServer(core, engine, {
    host: '127.0.0.1',
    port: 0,
    dagsDir: dags,
  });
  servers.push(server);
  const tokens = Object.fromEntries(
    ROLES.map((role) => [role, core.tokens.create(role).token]),
  ) as Record<Role, string>;
  const replies: string[] = [];
  return {
    core,
    home,
    dags,
    server,
    tokens,
    replies,
    writeDag: (name, yaml) => writeFileSync(join(dags, `${name}.yaml`), yaml),
    async call(method, path, options = {}) {
      const token =
        options.token === undefined
          ? tokens[options.role ?? 'admin']
          : options.token;
      const headers: Record<string, string> = { ...options.headers };
      if (token !== null) headers.authorization = `Bearer ${token}`;
      const body =
        options.raw ??
        (options.body === undefined ? undefined : JSON.stringify(options.body));
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers,
        body,
      });
      const text = await response.text();
      replies.push(text);
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
  };
}

/** Waits until a run has ended, by polling its status over the API. */
export async function untilEnded(api: ApiHarness, dag: string, runId: string) {
  for (let i = 0; i < 200; i++) {
    const reply = await api.call('GET', `/dag-runs/${dag}/${runId}`);
    const status = reply.json?.dagRunDetails?.statusLabel;
    if (status && status !== 'running' && status !== 'queued')
      return reply.json.dagRunDetails;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`run ${dag}/${runId} did not end`);
}
