import { appendFileSync } from 'node:fs';
import { timestamp } from '../clock.js';
import { FILE_MODE } from '../home.js';
import type { Masker } from '../masking/masker.js';
import type { ProgressEvent } from './attempt-runtime.js';
import { nodeStatusLabel } from './status.js';

/** Writes each progress event to the run's own log (`DAG_RUN_LOG_FILE`), masked. */
export function runLogWriter(path: string, masker: Masker) {
  return (event: ProgressEvent): void => {
    appendFileSync(path, masker.maskText(logLine(event)), { mode: FILE_MODE });
  };
}

function logLine(event: ProgressEvent): string {
  const at = timestamp();
  if (event.kind === 'run-note') return `${at} ${event.text}\n`;
  if (event.kind === 'step-started')
    return `${at} step ${event.step} started\n`;
  const why = event.error ? `: ${event.error}` : '';
  return `${at} step ${event.step} ${nodeStatusLabel(event.status)}${why}\n`;
}
