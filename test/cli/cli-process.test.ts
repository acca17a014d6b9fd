import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { PROJECT_ROOT, cli, cliEnv, spawnCli } from '../support/cli.js';
import { storedSecret } from '../support/core.js';
import { tempHome } from '../support/temp-home.js';

const COMMANDS = [
  [],
  ['profile'],
  ...[
    'list',
    'show',
    'create',
    'enable',
    'disable',
    'delete',
    'set-var',
    'set-secret',
    'delete-key',
  ].map((c) => ['profile', c]),
  ['key-slot'],
  ...['list', 'add', 'remove'].map((c) => ['key-slot', c]),
  ['secret'],
  ...['list', 'set', 'delete'].map((c) => ['secret', c]),
  ...[
    'start',
    'enqueue',
    'dry',
    'retry',
    'restart',
    'stop',
    'status',
    'history',
    'logs',
  ].map((c) => [c]),
  ['queue'],
  ['queue', 'drain'],
];

describe('the dagdesk process', () => {
  it('prints its version', async () => {
    const result = await spawnCli(['--version'], cliEnv(tempHome()));
    expect(result).toMatchObject({ code: 0, out: packageJson.version });
  });

  it('has --help on every command, exiting 0', async () => {
    const env = cliEnv(tempHome());
    for (const command of COMMANDS) {
      const result = await cli([...command, '--help'], env);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.out, command.join(' ')).toMatch(/^Usage: dagdesk/);
    }
  });

  it('exits 2 on bad input with the reason on stderr', async () => {
    const result = await spawnCli(
      ['profile', 'create', 'Bad'],
      cliEnv(tempHome()),
    );
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(/^error: invalid profile name: "Bad"/);
  });

  it('works through npm run, as the README says', async () => {
    const env = { ...process.env, ...cliEnv(tempHome()) };
    const result = await execa(
      'npm',
      ['run', '--silent', 'dagdesk', '--', 'profile', 'list', '--json'],
      {
        cwd: PROJECT_ROOT,
        env,
      },
    );
    expect(JSON.parse(result.stdout)).toEqual([]);
  });

  it('prompts for a secret on a terminal without echoing it', async () => {
    const env = cliEnv(tempHome());
    await spawnCli(['profile', 'create', 'prod'], env);
    // `script` gives the command a pseudo-terminal, as an operator has.
    const command =
      'node --import tsx src-main/cli/main.ts profile set-secret prod TOKEN';
    const child = execa('script', ['-qec', command, '/dev/null'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdin: 'pipe',
    });
    let screen = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      screen += chunk.toString();
      if (screen.includes('(hidden): ')) child.stdin!.end('typed-on-tty-42\r');
    });
    const finished = await child;
    expect(finished.exitCode).toBe(0);
    expect(screen).toContain('set secret TOKEN in profile prod');
    expect(screen).not.toContain('typed-on-tty-42');

    const shown = await spawnCli(['profile', 'show', 'prod', '--json'], env);
    expect(JSON.parse(shown.out).entries).toMatchObject([
      { key: 'TOKEN', version: 1 },
    ]);
    expect(storedSecret(env.DAGDESK_HOME, 'prod', 'TOKEN')).toBe(
      'typed-on-tty-42',
    );
  });
});
