import type { Dag } from '../dags/dag.js';
import { badRequest } from '../errors.js';
import type { StepRow } from './run-store.js';
import { NODE_STATUS } from './status.js';

/**
 * The steps a retry keeps from the last attempt. Without `stepName`: all
 * but those that failed, were aborted, never ran or lost their output,
 * and every step after them. With it: all but that step.
 */
export function planRetry(
  dag: Dag,
  last: StepRow[],
  stepName?: string,
): Map<string, StepRow> {
  const rows = new Map(
    last.filter((r) => r.handler === null).map((r) => [r.name, r]),
  );
  if (stepName !== undefined) {
    if (!dag.steps.some((s) => s.name === stepName)) {
      const names = dag.steps.map((s) => s.name).join(', ');
      throw badRequest(
        `step ${JSON.stringify(stepName)} not found in DAG ${dag.name} (its steps: ${names})`,
      );
    }
    rows.delete(stepName);
    return rows;
  }

  const rerun = new Set(
    dag.steps
      .filter((step) => {
        const row = rows.get(step.name);
        return !row || needsRerun(row);
      })
      .map((s) => s.name),
  );
  // Everything downstream of a re-run step runs again too.
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of dag.steps) {
      if (!rerun.has(step.name) && step.depends.some((d) => rerun.has(d))) {
        rerun.add(step.name);
        grew = true;
      }
    }
  }
  for (const name of rerun) rows.delete(name);
  return rows;
}

function needsRerun(row: StepRow): boolean {
  const done: number[] = [
    NODE_STATUS.succeeded,
    NODE_STATUS.skipped,
    NODE_STATUS.partiallySucceeded,
  ];
  return !done.includes(row.status) || row.output_kept === 0;
}
