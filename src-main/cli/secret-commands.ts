import type { Command } from 'commander';
import { type WithCore, cliActor } from './context.js';
import type { CliIo } from './io.js';
import { json } from './profile-output.js';
import { readSecretValue } from './secret-input.js';

/** `dagdesk secret ...`: secrets DAGs name with `secrets: [{ref: ...}]`. */
export function addSecretCommands(
  program: Command,
  io: CliIo,
  withCore: WithCore,
): void {
  const secret = program
    .command('secret')
    .description('manage the secrets DAG files refer to with `ref:`');
  const actor = cliActor();

  secret
    .command('list')
    .description('list secrets by ref, with their versions (never values)')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withCore(({ registry }) => {
        const all = registry.list(actor);
        if (opts.json) return io.stdout(json(all));
        if (all.length === 0) return io.stdout('no secrets\n');
        for (const s of all)
          io.stdout(`${s.ref}  version ${s.version}  ${s.updatedAt}\n`);
      }),
    );

  secret
    .command('set <ref>')
    .description('set a secret, read from a hidden prompt or standard input')
    .option(
      '--value-stdin',
      'read the value from standard input (trailing newlines dropped)',
    )
    .action((ref: string, opts: { valueStdin?: boolean }) =>
      withCore(async ({ registry }) => {
        const value = await readSecretValue(io, ref, Boolean(opts.valueStdin));
        const saved = registry.set(actor, ref, value);
        io.stdout(`set secret ${saved.ref} (version ${saved.version})\n`);
      }),
    );

  secret
    .command('delete <ref>')
    .description('delete a secret and its value')
    .action((ref: string) =>
      withCore(({ registry }) => {
        registry.delete(actor, ref);
        io.stdout(`deleted secret ${ref}\n`);
      }),
    );
}
