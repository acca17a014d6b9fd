import type { Actor } from '../src-shared/roles.js';
import type { Core } from './core.js';
import { dagsDir } from './dags/dag-files.js';
import { type EngineOptions, RunEngine } from './runs/run-engine.js';

/** A run engine over a core, for the CLI, the server or the window. */
export function engineForCore(
  core: Core,
  env: Record<string, string | undefined>,
  actor: Actor,
  extras: Pick<EngineOptions, 'targets' | 'progress'> = { targets: {} },
): RunEngine {
  return new RunEngine({
    db: core.db,
    vault: core.vault,
    registry: core.registry,
    home: core.home,
    dagsDir: dagsDir(core.home, env),
    hostEnv: env,
    actor,
    ...extras,
  });
}
