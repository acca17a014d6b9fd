import type { Command } from 'commander';
import { startApiServer } from '../api/server.js';
import { dagsDir } from '../dags/dag-files.js';
import { badRequest } from '../errors.js';
import type { WithCore } from './context.js';
import type { CliIo } from './io.js';
import { json } from './profile-output.js';
import { cliEngine } from './run-commands.js';

/** `dagdesk serve` and `dagdesk token ...`: the REST API and its tokens. */
export function addApiCommands(
  program: Command,
  io: CliIo,
  withCore: WithCore,
): void {
  program
    .command('serve')
    .description(
      'serve the REST API on this machine, and work the queue, until Ctrl-C',
    )
    .option(
      '--host <host>',
      'a loopback address: 127.0.0.1, ::1 or localhost',
      '127.0.0.1',
    )
    .option('--port <port>', 'the port; 0 picks a free one', '8080')
    .action((opts: { host: string; port: string }) =>
      withCore(async (core) => {
        const engine = cliEngine(core, io, false);
        const server = await startApiServer(core, engine, {
          host: opts.host,
          port: portOf(opts.port),
          dagsDir: dagsDir(core.home, io.env),
        });
        io.stdout(`listening on ${server.url}\n`);
        await new Promise<void>((resolve) => {
          const release = io.onInterrupt(() => {
            release();
            resolve();
          });
        });
        io.stderr('stopping: waiting for the runs the server started\n');
        await server.close();
      }),
    );

  const token = program
    .command('token')
    .description('manage the API tokens REST clients use');

  token
    .command('create')
    .description(
      'make a token for a role; it is printed once and only its hash is kept',
    )
    .requiredOption(
      '--role <role>',
      'admin, manager, developer, operator or viewer',
    )
    .option('--name <name>', 'what the token is for')
    .option('--json', 'print JSON')
    .action((opts: { role: string; name?: string; json?: boolean }) =>
      withCore(({ tokens }) => {
        const made = tokens.create(opts.role, opts.name);
        if (opts.json) return io.stdout(json(made));
        io.stderr(
          `token ${made.id} (${made.name}, role ${made.role}); shown only now:\n`,
        );
        io.stdout(`${made.token}\n`);
      }),
    );

  token
    .command('list')
    .description('list tokens: id, name, role, never the token')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withCore(({ tokens }) => {
        const all = tokens.list();
        if (opts.json) return io.stdout(json(all));
        if (all.length === 0) return io.stdout('no tokens\n');
        for (const t of all)
          io.stdout(`${t.id}  ${t.role.padEnd(9)}  ${t.name}\n`);
      }),
    );

  token
    .command('revoke <id>')
    .description('revoke a token: requests with it are refused from now on')
    .action((id: string) =>
      withCore(({ tokens }) => {
        tokens.revoke(id);
        io.stdout(`revoked token ${id}\n`);
      }),
    );
}

function portOf(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw badRequest(
      `--port must be a number from 0 to 65535, got ${JSON.stringify(text)}`,
    );
  }
  return port;
}
