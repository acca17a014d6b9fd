import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { DagdeskError } from '../errors.js';
import type { OsProtectedStorage } from '../secrets/key-sources.js';
import { addKeySlotCommands } from './key-slot-commands.js';
import { type WithCore, openCliCore } from './context.js';
import { type CliIo, EXIT } from './io.js';
import { addApiCommands } from './api-commands.js';
import { addHistoryCommands } from './history-commands.js';
import { addProfileCommands } from './profile-commands.js';
import { ExitWith, addRunCommands } from './run-commands.js';
import { addSecretCommands } from './secret-commands.js';

/**
 * Runs `dagdesk <argv>`; returns the exit code. `os` is Electron's
 * safeStorage inside the app and safe-storage-compat under plain Node.
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  os: OsProtectedStorage,
): Promise<number> {
  const program = buildProgram(io, os);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

function buildProgram(io: CliIo, os: OsProtectedStorage): Command {
  const withCore: WithCore = async (use) => {
    const core = openCliCore(io, os);
    try {
      return await use(core);
    } finally {
      core.close();
    }
  };

  const program = new Command('dagdesk')
    .description('Run Dagu-compatible DAGs locally with runtime profiles')
    .version(packageJson.version, '-V, --version')
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      // One line per error: commander puts its suggestion on a second one.
      outputError: (text, write) =>
        write(text.trimEnd().replace(/\n+/g, ' ') + '\n'),
    });
  addProfileCommands(program, io, withCore);
  addKeySlotCommands(program, io, withCore);
  addSecretCommands(program, io, withCore);
  addRunCommands(program, io, withCore);
  addHistoryCommands(program, io, withCore);
  addApiCommands(program, io, withCore);
  exitOverrideEverywhere(program);
  return program;
}

// Commander exits the process on its own unless every command is told not to.
function exitOverrideEverywhere(command: Command): void {
  command.exitOverride();
  command.commands.forEach(exitOverrideEverywhere);
}

function exitCodeFor(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Help and version also arrive as "errors", with exit code 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof ExitWith) return error.code;
  if (error instanceof DagdeskError) {
    io.stderr(`error: ${error.message}\n`);
    return EXIT.usage;
  }
  throw error;
}
