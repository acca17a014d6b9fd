import type { z } from 'zod';
import type { Step, StepAction } from './dag.js';
import { type RawStep, stepSchema } from './dag-schema.js';
import { isPlainObject } from './yaml-forms.js';

/** A problem found while building, at a path inside the document. */
export interface Issue {
  path: PropertyKey[];
  message: string;
  /** For an unknown key: the keys, so the message can point at them. */
  keys?: string[];
}

/** A step as written, before names and dependencies are settled. */
export interface DraftStep {
  raw: RawStep;
  path: PropertyKey[];
  /** Its place in the top-level list; members of a group share it. */
  index: number;
  action: StepAction;
}

/**
 * Reads the `steps:` value, in any of Dagu's shapes: a list of maps (or
 * of strings, or of nested lists run side by side), or a map by name.
 */
export function draftSteps(value: unknown, issues: Issue[]): DraftStep[] {
  const drafts: DraftStep[] = [];
  if (value === undefined) {
    issues.push({ path: [], message: 'a DAG needs steps' });
    return drafts;
  }
  if (isPlainObject(value)) {
    Object.keys(value)
      .sort()
      .forEach((name, i) => {
        const item = value[name];
        const draft = draftStep(
          isPlainObject(item) ? { name, ...item } : item,
          ['steps', name],
          i,
          issues,
        );
        if (draft) drafts.push(draft);
      });
    return drafts;
  }
  if (!Array.isArray(value)) {
    issues.push({ path: ['steps'], message: 'steps must be a list or a map' });
    return drafts;
  }
  value.forEach((item, i) => {
    const members = Array.isArray(item)
      ? item.map((m, j) => [m, ['steps', i, j]] as const)
      : [[item, ['steps', i]] as const];
    for (const [member, path] of members) {
      const draft = draftStep(member, [...path], i, issues);
      if (draft) drafts.push(draft);
    }
  });
  return drafts;
}

export function draftStep(
  item: unknown,
  path: PropertyKey[],
  index: number,
  issues: Issue[],
): DraftStep | undefined {
  const shaped = typeof item === 'string' ? { run: item } : item;
  const parsed = stepSchema.safeParse(shaped);
  if (!parsed.success) {
    issues.push(...issuesAt(path, parsed.error));
    return undefined;
  }
  const action = stepAction(parsed.data);
  if (typeof action === 'string') {
    issues.push({ path, message: action });
    return undefined;
  }
  return { raw: parsed.data, path, index, action };
}

export function issuesAt(path: PropertyKey[], error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({
    path: [...path, ...issue.path],
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
        : issue.message,
    ...(issue.code === 'unrecognized_keys' ? { keys: issue.keys } : {}),
  }));
}

/** What the step runs, from `run`, `action`, or the legacy fields. */
function stepAction(raw: RawStep): StepAction | string {
  const subDag = raw.action ?? (raw.call !== undefined ? 'dag.run' : undefined);
  if (subDag !== undefined) return subDagAction(raw, subDag);
  if (
    raw.with &&
    (raw.with.dag !== undefined ||
      raw.with.params !== undefined ||
      raw.with.queue !== undefined)
  ) {
    return 'with on a run step takes only shell; with.dag and with.params go with action: dag.run';
  }
  if (raw.params !== undefined)
    return 'params goes with call (or action: dag.run with with.params)';
  if (
    raw.run !== undefined &&
    (raw.command !== undefined || raw.script !== undefined)
  ) {
    return 'run cannot be used together with command or script; use run alone';
  }

  const body = raw.run ?? raw.command;
  if (body === undefined) {
    if (raw.script?.trim()) return { kind: 'script', script: raw.script };
    return 'a step needs run (a command, a multi-line script, or a list of commands) or an action';
  }
  const lines = commandLines(body);
  if (typeof lines === 'string') return lines;
  if (raw.script?.trim()) {
    return {
      kind: 'script',
      script: raw.script,
      interpreter: lines[0]!.split(/\s+/),
    };
  }
  if (lines.length === 1 && lines[0]!.includes('\n')) {
    return { kind: 'script', script: lines[0]! };
  }
  return { kind: 'commands', lines };
}

function commandLines(body: unknown): string[] | string {
  const items = Array.isArray(body) ? body : [body];
  const lines: string[] = [];
  for (const item of items) {
    if (typeof item === 'number' || typeof item === 'boolean')
      lines.push(String(item));
    else if (typeof item === 'string') {
      if (item.trim() !== '')
        lines.push(Array.isArray(body) ? item.trim() : item.trim());
    } else if (isPlainObject(item) && Object.keys(item).length === 1) {
      // `- echo: hi` in YAML is a map; the author meant the text.
      const [key, value] = Object.entries(item)[0]!;
      lines.push(`${key}: ${String(value)}`);
    } else {
      return 'run must be a string or a list of strings (quote a command that contains ": ")';
    }
  }
  if (lines.length === 0) return 'the step command is empty';
  return lines;
}

function subDagAction(raw: RawStep, action: string): StepAction | string {
  if (action !== 'dag.run' && action !== 'dag.enqueue') {
    return (
      `unknown action ${JSON.stringify(action)}: Dagdesk runs dag.run and ` +
      'dag.enqueue (a command step needs only run)'
    );
  }
  if (
    raw.run !== undefined ||
    raw.command !== undefined ||
    raw.script !== undefined
  ) {
    return `run cannot be used together with action ${action}`;
  }
  const dag = raw.with?.dag ?? raw.call;
  if (!dag) return `${action} needs with.dag: the name of the DAG to run`;
  if (raw.with?.shell) return `${action} does not take with.shell`;
  if (action === 'dag.run' && raw.with?.queue !== undefined) {
    return 'dag.run does not take with.queue (dag.enqueue does)';
  }
  const params = subDagParams(raw.with?.params ?? raw.params);
  if (params === undefined) return 'with.params must be a string or a map';
  return { kind: action, dag, params, queue: raw.with?.queue };
}

function subDagParams(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (!isPlainObject(value)) return undefined;
  return Object.entries(value)
    .map(
      ([key, v]) =>
        `${key}=${JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v))}`,
    )
    .join(' ');
}

const ID_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const RESERVED_IDS = new Set([
  'env',
  'params',
  'args',
  'stdout',
  'stderr',
  'output',
  'outputs',
]);
const OUTPUT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Names every step (given, from its id, or `cmd_<n>` as Dagu does),
 * resolves `depends` to names, adds chain order, and checks the graph.
 */
export function settleSteps(
  drafts: DraftStep[],
  type: 'graph' | 'chain',
  issues: Issue[],
): Step[] {
  const names = nameSteps(drafts, issues);
  const byKey = new Map<string, string>();
  drafts.forEach((d, i) => {
    byKey.set(names[i]!, names[i]!);
    if (d.raw.id) byKey.set(d.raw.id, names[i]!);
  });

  const steps = drafts.map((draft, i) => {
    const step = toStep(draft, names[i]!);
    if (type === 'chain') {
      if (draft.raw.depends !== undefined) {
        issues.push({
          path: [...draft.path, 'depends'],
          message:
            'depends is not allowed in a DAG of type chain, ' +
            'where each step follows the one before (use type: graph)',
        });
      }
      step.depends = drafts
        .filter((d) => d.index === draft.index - 1)
        .map((d) => names[drafts.indexOf(d)]!);
    } else {
      step.depends = resolveDepends(draft, step.name, byKey, issues);
    }
    return step;
  });
  checkCycles(steps, drafts, issues);
  return steps;
}

function nameSteps(drafts: DraftStep[], issues: Issue[]): string[] {
  const taken = new Set<string>();
  const given = drafts.map((d) => d.raw.name || d.raw.id);
  for (const [i, name] of given.entries()) {
    if (name === undefined) continue;
    if (taken.has(name))
      issues.push({
        path: [...drafts[i]!.path, 'name'],
        message: `step name must be unique: ${JSON.stringify(name)} is used twice`,
      });
    taken.add(name);
    const id = drafts[i]!.raw.id;
    if (id !== undefined) checkId(id, drafts[i]!.path, issues);
  }
  return drafts.map((draft, i) => {
    if (given[i] !== undefined) return given[i]!;
    const prefix =
      draft.action.kind === 'commands'
        ? 'cmd'
        : draft.action.kind === 'script'
          ? 'script'
          : 'dag';
    let n = draft.index + 1;
    while (taken.has(`${prefix}_${n}`)) n++;
    taken.add(`${prefix}_${n}`);
    return `${prefix}_${n}`;
  });
}

function checkId(id: string, path: PropertyKey[], issues: Issue[]): void {
  if (!ID_PATTERN.test(id)) {
    issues.push({
      path: [...path, 'id'],
      message:
        `invalid step id ${JSON.stringify(id)}: ` +
        'use letters, digits and "_", starting with a letter',
    });
  } else if (RESERVED_IDS.has(id.toLowerCase())) {
    issues.push({
      path: [...path, 'id'],
      message: `step id ${JSON.stringify(id)} is a reserved word`,
    });
  }
}

export function toStep(draft: DraftStep, name: string): Step {
  const { raw } = draft;
  const shell = raw.with?.shell ?? raw.shell;
  return {
    name,
    id: raw.id,
    description: raw.description ?? '',
    action: draft.action,
    shell: shell && raw.shell_args ? [...shell, ...raw.shell_args] : shell,
    workingDir: raw.working_dir,
    env: raw.env ?? [],
    depends: [],
    output: raw.output,
    continueOn: raw.continue_on ?? {
      failed: false,
      skipped: false,
      exitCodes: [],
      output: [],
      markSuccess: false,
    },
    retryPolicy: raw.retry_policy,
    preconditions: raw.preconditions ?? [],
    timeoutSec: raw.timeout_sec ?? 0,
  };
}

export function checkOutputName(
  step: Step,
  path: PropertyKey[],
  issues: Issue[],
) {
  if (step.output !== undefined && !OUTPUT_NAME.test(step.output)) {
    issues.push({
      path: [...path, 'output'],
      message:
        'output must be a variable name (letters, digits and "_"), ' +
        `got ${JSON.stringify(step.output)}`,
    });
  }
}

function resolveDepends(
  draft: DraftStep,
  name: string,
  byKey: Map<string, string>,
  issues: Issue[],
): string[] {
  return (draft.raw.depends ?? []).flatMap((dep) => {
    const target = byKey.get(dep);
    if (target === undefined) {
      issues.push({
        path: [...draft.path, 'depends'],
        message:
          `step ${JSON.stringify(name)} depends on ${JSON.stringify(dep)}, ` +
          'which is not a step of this DAG',
      });
      return [];
    }
    return [target];
  });
}

function checkCycles(
  steps: Step[],
  drafts: DraftStep[],
  issues: Issue[],
): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const byName = new Map(steps.map((s) => [s.name, s]));
  const visit = (step: Step, trail: string[]): string[] | undefined => {
    if (state.get(step.name) === 'done') return undefined;
    if (state.get(step.name) === 'visiting')
      return [...trail.slice(trail.indexOf(step.name)), step.name];
    state.set(step.name, 'visiting');
    for (const dep of step.depends) {
      const cycle = visit(byName.get(dep)!, [...trail, step.name]);
      if (cycle) return cycle;
    }
    state.set(step.name, 'done');
    return undefined;
  };
  for (const [i, step] of steps.entries()) {
    const cycle = visit(step, []);
    if (cycle) {
      issues.push({
        path: [...drafts[i]!.path, 'depends'],
        message: `steps depend on each other in a cycle: ${cycle.join(' -> ')}`,
      });
      return;
    }
  }
}
