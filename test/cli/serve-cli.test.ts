import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, cli, cliEnv } from '../support/cli.js';
import { tempHome } from '../support/temp-home.js';

describe('dagdesk token', () => {
  it('prints a new token once, lists tokens without it, and revokes', async () => {
    const env = cliEnv(tempHome());
    const made = await cli(
      ['token', 'create', '--role', 'operator', '--name', 'ci', '--json'],
      env,
    );
    const token = JSON.parse(made.out);
    expect(token).toEqual({
      id: expect.any(String),
      name: 'ci',
      role: 'operator',
      token: expect.stringMatching(/^ddk_/),
    });
    const list = await cli(['token', 'list', '--json'], env);
    expect(JSON.parse(list.out)).toEqual([
      {
        id: token.id,
        name: 'ci',
        role: 'operator',
        createdAt: expect.any(String),
      },
    ]);
    expect(list.out).not.toContain(token.token);
    expect((await cli(['token', 'revoke', token.id], env)).out).toBe(
      `revoked token ${token.id}\n`,
    );
    expect((await cli(['token', 'revoke', token.id], env)).code).toBe(2);
    expect((await cli(['token', 'create', '--role', 'root'], env)).err).toBe(
      'error: unknown role "root": use admin, manager, developer, operator, viewer\n',
    );
  });
});

describe('dagdesk serve', () => {
  it('says where it listens, answers with a token, and stops on Ctrl-C', async () => {
    const env = cliEnv(tempHome());
    const token = JSON.parse(
      (await cli(['token', 'create', '--role', 'viewer', '--json'], env)).out,
    ).token;
    const server = execa(
      process.execPath,
      ['--import', 'tsx', 'src-main/cli/main.ts', 'serve', '--port', '0'],
      {
        cwd: PROJECT_ROOT,
        env,
        reject: false,
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(
          chunk.toString(),
        );
        if (match) resolve(match[1]!);
      });
      server.once('exit', () => reject(new Error('serve exited')));
    });
    const reply = await fetch(`${url}/api/v1/dag-runs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await reply.json()).toEqual({ dagRuns: [] });
    server.kill('SIGINT');
    expect((await server).exitCode).toBe(0);
  });

  it('refuses a host that is not loopback, with exit 2', async () => {
    const result = await cli(
      ['serve', '--host', '0.0.0.0'],
      cliEnv(tempHome()),
    );
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/^error: --host must be a loopback address/);
  });
});
