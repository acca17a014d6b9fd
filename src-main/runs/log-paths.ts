import { join } from 'node:path';
import { ensurePrivateDir } from '../home.js';
import { safeFileName } from './step-command.js';

/** `<home>/logs/<dag>/<run-id>/<attempt-id>/`: the logs of one attempt. */
export function attemptLogDir(
  home: string,
  dag: string,
  runId: string,
  attemptId: string,
): string {
  return join(home, 'logs', safeFileName(dag), safeFileName(runId), attemptId);
}

/** Makes an attempt's log folder, and each folder above it, owner-only. */
export function makeAttemptLogDir(home: string, dir: string): string {
  const logs = join(home, 'logs');
  const parts = dir.slice(logs.length + 1).split('/');
  ensurePrivateDir(logs);
  parts.reduce((parent, part) => ensurePrivateDir(join(parent, part)), logs);
  return dir;
}

/** The run's own log in an attempt's folder: Dagdesk's notes on the run. */
export function runLogFile(logDir: string): string {
  return join(logDir, 'dag.log');
}
