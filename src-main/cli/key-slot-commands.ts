import type { Command } from 'commander';
import { badRequest } from '../errors.js';
import { SLOT_KINDS, type SlotKind } from '../secrets/key-slots.js';
import type { WithCore } from './context.js';
import type { CliIo } from './io.js';
import { json } from './profile-output.js';

/** `dagdesk key-slot ...`: the ways the store's data key can be opened. */
export function addKeySlotCommands(
  program: Command,
  io: CliIo,
  withCore: WithCore,
): void {
  const slots = program
    .command('key-slot')
    .description('list and add the key slots that open the secret store');

  slots
    .command('list')
    .description('list key slots (os, recovery, env) and their backends')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withCore(({ vault }) => {
        const all = vault.slots();
        if (opts.json) return io.stdout(json(all));
        if (all.length === 0)
          return io.stdout('no key slots: no secret stored yet\n');
        for (const s of all)
          io.stdout(
            `${s.kind.padEnd(8)}  ${s.backend.padEnd(16)}  ${s.createdAt}\n`,
          );
      }),
    );

  slots
    .command('add <kind>')
    .description(
      'add a slot: os (the OS keyring), env (DAGDESK_MASTER_KEY), ' +
        'recovery (prints a recovery key once)',
    )
    .action((kind: string) =>
      withCore(({ vault }) => {
        const { recoveryKey } = vault.addSlot(slotKind(kind));
        if (!recoveryKey) return io.stdout(`added the ${kind} key slot\n`);
        io.stderr(
          'Recovery key (shown only now; keep it offline, it opens every secret):\n',
        );
        io.stdout(`${recoveryKey}\n`);
      }),
    );

  slots
    .command('remove <kind>')
    .description('remove a slot; the last one cannot be removed')
    .action((kind: string) =>
      withCore(({ vault }) => {
        vault.removeSlot(slotKind(kind));
        io.stdout(`removed the ${kind} key slot\n`);
      }),
    );
}

function slotKind(kind: string): SlotKind {
  if ((SLOT_KINDS as readonly string[]).includes(kind)) return kind as SlotKind;
  throw badRequest(
    `unknown key slot kind ${JSON.stringify(kind)}: use ${SLOT_KINDS.join(', ')}`,
  );
}
