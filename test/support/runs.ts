import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Core } from '../../src-main/core.js';
import { loadDagFile } from '../../src-main/dags/dag-loader.js';
import {
  RunEngine,
  type RunOutcome,
  type RunRequest,
} from '../../src-main/runs/run-engine.js';
import { type RunDetails, runDetails } from '../../src-main/runs/run-view.js';
import { admin } from './actors.js';
import { testCore } from './core.js';
import { tempHome } from './temp-home.js';

/** A home with a DAGs folder, a core and a run engine, all real. */
export interface RunHarness {
  core: Core;
  home: string;
  dags: string;
  engine: RunEngine;
  /** What steps printed, masked, as `start` would echo it. */
  printed(): string;
  writeDag(name: string, yaml: string): string;
  start(dag: string, request?: Partial<RunRequest>): Promise<RunOutcome>;
  details(outcome: { run: { dag_name: string; run_id: string } }): RunDetails;
  /** A file a step wrote into the DAGs folder (its working directory). */
  read(file: string): string;
}

export function runHarness(hostEnv: Record<string, string> = {}): RunHarness {
  const home = tempHome();
  const dags = join(home, 'dags');
  mkdirSync(dags, { recursive: true });
  const core = testCore(undefined, home);
  let printed = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      printed += chunk.toString();
      done();
    },
  });
  const engine = new RunEngine({
    db: core.db,
    vault: core.vault,
    registry: core.registry,
    home,
    dagsDir: dags,
    hostEnv: { PATH: process.env.PATH!, HOME: home, ...hostEnv },
    actor: admin,
    targets: { echo: { stdout: sink, stderr: sink } },
  });
  const harness: RunHarness = {
    core,
    home,
    dags,
    engine,
    printed: () => printed,
    writeDag(name, yaml) {
      const path = join(dags, `${name}.yaml`);
      writeFileSync(path, yaml);
      return path;
    },
    start(dag, request = {}) {
      const file = loadDagFile(join(dags, `${dag}.yaml`));
      return engine.start({ file, ...request });
    },
    details: (outcome) =>
      runDetails(
        core.db,
        home,
        core.db
          .prepare('SELECT * FROM dag_runs WHERE dag_name = ? AND run_id = ?')
          .get(outcome.run.dag_name, outcome.run.run_id) as never,
      ),
    read: (file) => readFileSync(join(dags, file), 'utf8'),
  };
  return harness;
}

/** A profile `name` with variables and secrets, set as an admin. */
export function withProfile(
  core: Core,
  name: string,
  entries: {
    variables?: Record<string, string>;
    secrets?: Record<string, string>;
  },
): void {
  core.profiles.create(admin, { name });
  for (const [key, value] of Object.entries(entries.variables ?? {})) {
    core.profiles.setVariable(admin, name, key, value);
  }
  for (const [key, value] of Object.entries(entries.secrets ?? {})) {
    core.profiles.setSecret(admin, name, key, value);
  }
}

/** The status of each step by name. */
export function stepStatuses(details: RunDetails): Record<string, string> {
  return Object.fromEntries(
    details.nodes.map((n) => [n.step.name as string, n.statusLabel]),
  );
}
