import type { Command } from 'commander';
import type { Profile } from '../../src-shared/profile.js';
import { type WithCore, cliActor } from './context.js';
import type { CliIo } from './io.js';
import { formatProfile, formatProfileList, json } from './profile-output.js';
import { readSecretValue } from './secret-input.js';

interface JsonOption {
  json?: boolean;
}

/** `dagdesk profile ...`: the profile half of DESIGN.md section 8. */
export function addProfileCommands(
  program: Command,
  io: CliIo,
  withCore: WithCore,
): void {
  const profile = program
    .command('profile')
    .description(
      'manage runtime profiles: named sets of variables and secrets',
    );
  const actor = cliActor();

  // Every change prints the profile as it now is: one line, or JSON.
  const report = (said: string, opts: JsonOption) => (p: Profile) =>
    io.stdout(opts.json ? json(p) : `${said} profile ${p.name}\n`);

  profile
    .command('list')
    .description('list profiles')
    .option('--json', 'print JSON')
    .action((opts: JsonOption) =>
      withCore(({ profiles }) => {
        const all = profiles.list(actor);
        io.stdout(opts.json ? json(all) : formatProfileList(all));
      }),
    );

  profile
    .command('show <profile>')
    .description('show a profile; secrets print as ********')
    .option('--json', 'print JSON')
    .action((name: string, opts: JsonOption) =>
      withCore(({ profiles }) => {
        const p = profiles.get(actor, name);
        io.stdout(opts.json ? json(p) : formatProfile(p));
      }),
    );

  profile
    .command('create <profile>')
    .description('create an active profile')
    .option('--description <text>', 'what the profile is for', '')
    .option('--protected', 'only admins may use or change it')
    .option('--json', 'print JSON')
    .action(
      (
        name: string,
        opts: JsonOption & { description: string; protected?: boolean },
      ) =>
        withCore(({ profiles }) => {
          const input = {
            name,
            description: opts.description,
            protected: Boolean(opts.protected),
          };
          report('created', opts)(profiles.create(actor, input));
        }),
    );

  for (const [verb, status, said] of [
    ['enable', 'active', 'enabled'],
    ['disable', 'disabled', 'disabled'],
  ] as const) {
    profile
      .command(`${verb} <profile>`)
      .description(
        status === 'active'
          ? 'let the profile start runs'
          : 'stop the profile from starting runs',
      )
      .option('--json', 'print JSON')
      .action((name: string, opts: JsonOption) =>
        withCore(({ profiles }) =>
          report(said, opts)(profiles.update(actor, name, { status })),
        ),
      );
  }

  profile
    .command('delete <profile>')
    .description('delete a profile with all its entries and secret values')
    .action((name: string) =>
      withCore(({ profiles }) => {
        profiles.delete(actor, name);
        io.stdout(`deleted profile ${name}\n`);
      }),
    );

  profile
    .command('set-var <profile> <KEY> <VALUE>')
    .description('set a plain-text variable')
    .option('--json', 'print JSON')
    .action((name: string, key: string, value: string, opts: JsonOption) =>
      withCore(({ profiles }) =>
        report(
          `set ${key} in`,
          opts,
        )(profiles.setVariable(actor, name, key, value)),
      ),
    );

  profile
    .command('set-secret <profile> <KEY>')
    .description('set a secret, read from a hidden prompt or standard input')
    .option(
      '--value-stdin',
      'read the value from standard input (trailing newlines dropped)',
    )
    .option('--json', 'print JSON')
    .action(
      (
        name: string,
        key: string,
        opts: JsonOption & { valueStdin?: boolean },
      ) =>
        withCore(async ({ profiles }) => {
          const value = await readSecretValue(
            io,
            key,
            Boolean(opts.valueStdin),
          );
          const result = profiles.setSecret(actor, name, key, value);
          if (result.warning) io.stderr(`warning: ${result.warning}\n`);
          report(`set secret ${key} in`, opts)(result.profile);
        }),
    );

  profile
    .command('delete-key <profile> <KEY>')
    .description('delete a variable or secret')
    .option('--json', 'print JSON')
    .action((name: string, key: string, opts: JsonOption) =>
      withCore(({ profiles }) =>
        report(
          `deleted ${key} from`,
          opts,
        )(profiles.deleteEntry(actor, name, key)),
      ),
    );
}
