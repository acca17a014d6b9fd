import type { ProgressEvent } from '../runs/attempt-runtime.js';
import type { DryReport } from '../runs/dry-run.js';
import type { RunRow } from '../runs/run-store.js';
import type { RunDetails, RunSummary } from '../runs/run-view.js';
import { NODE_STATUS, nodeStatusLabel } from '../runs/status.js';

/** How `start` reports a run as it goes, on stderr. */
export function formatProgress(run: RunRow, event: ProgressEvent): string {
  const who = run.parent_name ? `${run.dag_name}: ` : '';
  if (event.kind === 'run-note') return `${who}${event.text}\n`;
  if (event.kind === 'step-started') return `${who}> ${event.step}\n`;
  const mark =
    event.status === NODE_STATUS.succeeded
      ? 'ok'
      : nodeStatusLabel(event.status);
  const why =
    event.error && event.status !== NODE_STATUS.succeeded
      ? `: ${event.error}`
      : '';
  return `${who}< ${event.step} ${mark}${why}\n`;
}

export function formatOutcome(summary: RunSummary): string {
  const error = summary.error ? `: ${summary.error}` : '';
  return `run ${summary.name} ${summary.dagRunId} ${summary.statusLabel}${error}\n`;
}

export function formatDetails(details: RunDetails): string {
  const lines = [
    `dag:        ${details.name}`,
    `run:        ${details.dagRunId} (attempt ${details.attemptId || 'none'})`,
    `status:     ${details.statusLabel}${details.error ? ` - ${details.error}` : ''}`,
    `started:    ${details.startedAt || '-'}`,
    `finished:   ${details.finishedAt || '-'}`,
  ];
  if (details.params) lines.push(`params:     ${details.params}`);
  if (details.profileName) {
    const used = (details.profileEntries ?? [])
      .map((e) =>
        e.kind === 'secret' ? `${e.key} (secret v${e.version})` : e.key,
      )
      .join(', ');
    const resolved = details.profileResolvedAt
      ? `, resolved ${details.profileResolvedAt}`
      : '';
    lines.push(
      `profile:    ${details.profileName}${resolved}${used ? `: ${used}` : ''}`,
    );
  }
  const nodes = [
    ...details.nodes,
    ...[
      details.onInit,
      details.onSuccess,
      details.onFailure,
      details.onAbort,
      details.onExit,
    ].filter((n) => n !== undefined),
  ];
  if (nodes.length > 0) lines.push('steps:');
  const width = Math.max(...nodes.map((n) => String(n.step.name).length));
  for (const node of nodes) {
    const exit = node.exitCode === undefined ? '' : ` exit ${node.exitCode}`;
    const error = node.error ? `  ${node.error}` : '';
    lines.push(
      `  ${String(node.step.name).padEnd(width)}  ${node.statusLabel}${exit}${error}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function formatHistory(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs\n';
  const rows = [
    ['DAG', 'RUN ID', 'STATUS', 'STARTED', 'FINISHED', 'PROFILE'],
    ...runs.map((r) => [
      r.name,
      r.dagRunId,
      r.statusLabel,
      r.startedAt || '-',
      r.finishedAt || '-',
      r.profileName ?? '-',
    ]),
  ];
  const widths = rows[0]!.map((_, i) =>
    Math.max(...rows.map((r) => r[i]!.length)),
  );
  return (
    rows
      .map((row) =>
        row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function formatDry(report: DryReport): string {
  const lines = [
    `DAG ${report.dag} (${report.file}) is valid: ${report.steps.length} ` +
      `step${report.steps.length === 1 ? '' : 's'}`,
  ];
  if (report.profile) {
    const p = report.profile;
    const secrets = p.secrets.map((s) => `${s.key} v${s.version}`).join(', ');
    lines.push(
      `profile ${p.name}: active; variables: ` +
        `${p.variables.join(', ') || 'none'}; ` +
        `secrets (decrypted): ${secrets || 'none'}`,
    );
  } else lines.push('profile: none');
  lines.push(`host variables passed in: ${report.host.join(', ') || 'none'}`);
  if (report.keys.length > 0) {
    lines.push(
      'variables the steps get (the layer that wins, and what it overrides):',
    );
    const width = Math.max(...report.keys.map((k) => k.key.length));
    for (const k of report.keys) {
      const over =
        k.overrides.length > 0 ? `  (overrides ${k.overrides.join(', ')})` : '';
      lines.push(`  ${k.key.padEnd(width)}  ${k.layer}${over}`);
    }
  }
  for (const step of report.steps) {
    const parts = [
      step.depends.length > 0 ? `after ${step.depends.join(', ')}` : 'first',
    ];
    if (step.outputsFrom.length > 0)
      parts.push(`outputs of ${step.outputsFrom.join(', ')}`);
    if (step.env.length > 0) parts.push(`step env ${step.env.join(', ')}`);
    lines.push(`step ${step.name}: ${parts.join('; ')}`);
  }
  return lines.join('\n') + '\n';
}
