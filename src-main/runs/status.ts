/**
 * Dagu's status codes, stored and shown as the integers Dagu uses, with
 * the labels its API prints beside them.
 */

export const RUN_STATUS = {
  notStarted: 0,
  running: 1,
  failed: 2,
  aborted: 3,
  succeeded: 4,
  queued: 5,
  partiallySucceeded: 6,
} as const;
export type RunStatus = (typeof RUN_STATUS)[keyof typeof RUN_STATUS];

const RUN_LABELS = [
  'not_started',
  'running',
  'failed',
  'aborted',
  'succeeded',
  'queued',
  'partially_succeeded',
] as const;
export type RunStatusLabel = (typeof RUN_LABELS)[number];

export const NODE_STATUS = {
  notStarted: 0,
  running: 1,
  failed: 2,
  aborted: 3,
  succeeded: 4,
  skipped: 5,
  partiallySucceeded: 6,
  retrying: 9,
} as const;
export type NodeStatus = (typeof NODE_STATUS)[keyof typeof NODE_STATUS];

const NODE_LABELS: Record<NodeStatus, string> = {
  0: 'not_started',
  1: 'running',
  2: 'failed',
  3: 'aborted',
  4: 'succeeded',
  5: 'skipped',
  6: 'partially_succeeded',
  9: 'retrying',
};

export function runStatusLabel(status: RunStatus): RunStatusLabel {
  return RUN_LABELS[status];
}

export function nodeStatusLabel(status: NodeStatus): string {
  return NODE_LABELS[status];
}

/** Labels a user may type for `history --status`, Dagu's aliases too. */
export function runStatusFromLabel(label: string): RunStatus | undefined {
  const aliases: Record<string, RunStatusLabel> = {
    success: 'succeeded',
    failure: 'failed',
    canceled: 'aborted',
    cancelled: 'aborted',
    notstarted: 'not_started',
    partiallysucceeded: 'partially_succeeded',
  };
  const canonical = aliases[label] ?? label;
  const index = RUN_LABELS.indexOf(canonical as RunStatusLabel);
  return index === -1 ? undefined : (index as RunStatus);
}

export const RUN_STATUS_LABELS = RUN_LABELS;
