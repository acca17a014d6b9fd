import {
  DEFAULT_MAX_OUTPUT_SIZE,
  type Dag,
  HANDLER_KINDS,
  HANDLER_STEP_NAMES,
  type HandlerKind,
  type Step,
} from './dag.js';
import { IGNORED_DAG_KEYS, dagSchema } from './dag-schema.js';
import {
  type Issue,
  checkOutputName,
  draftStep,
  draftSteps,
  issuesAt,
  settleSteps,
  toStep,
} from './step-builder.js';
import { isPlainObject } from './yaml-forms.js';

const DAG_NAME = /^[a-zA-Z0-9_.-]+$/;
const DAG_NAME_MAX = 40;

/**
 * Builds one DAG from a parsed YAML document. Every problem is collected
 * with the path it was found at, so the loader can point at its line.
 */
export function buildDag(
  document: unknown,
  fallbackName: string | undefined,
): { dag?: Dag; issues: Issue[] } {
  const issues: Issue[] = [];
  if (!isPlainObject(document)) {
    return { issues: [{ path: [], message: 'a DAG must be a map of keys' }] };
  }
  const parsed = dagSchema.safeParse(document);
  if (!parsed.success) return { issues: issuesAt([], parsed.error) };
  const raw = parsed.data;

  const name = raw.name || fallbackName;
  checkName(name, issues);
  const type = raw.type ?? 'graph';
  const drafts = draftSteps(raw.steps, issues);
  // Names and dependencies of steps that did not parse would only mislead.
  if (issues.length > 0) return { issues };
  const steps = settleSteps(drafts, type, issues);
  steps.forEach((step, i) => checkOutputName(step, drafts[i]!.path, issues));
  const handlers = buildHandlers(raw.handler_on, issues);
  if (issues.length > 0) return { issues };

  const dag: Dag = {
    name: name!,
    description: raw.description ?? '',
    type,
    env: raw.env ?? [],
    dotenv: raw.dotenv ?? [],
    params: raw.params ?? [],
    secrets: raw.secrets ?? [],
    workingDir: raw.working_dir,
    shell: raw.shell,
    timeoutSec: raw.timeout_sec ?? 0,
    maxActiveSteps: raw.max_active_steps ?? 0,
    maxOutputSize: raw.max_output_size ?? DEFAULT_MAX_OUTPUT_SIZE,
    queue: raw.queue || undefined,
    preconditions: raw.preconditions ?? [],
    handlers,
    steps,
    ignored: IGNORED_DAG_KEYS.filter((key) => key in document),
  };
  return { dag, issues };
}

function checkName(name: string | undefined, issues: Issue[]): void {
  if (!name) {
    issues.push({
      path: ['name'],
      message:
        'this DAG needs a name: every DAG after the first in a file must have one',
    });
  } else if (name.length > DAG_NAME_MAX) {
    issues.push({
      path: ['name'],
      message: `DAG name is ${name.length} characters long: at most ${DAG_NAME_MAX} are allowed`,
    });
  } else if (!DAG_NAME.test(name) || name === '.' || name === '..') {
    issues.push({
      path: ['name'],
      message: `invalid DAG name ${JSON.stringify(name)}: use letters, digits, ".", "_" and "-"`,
    });
  }
}

function buildHandlers(value: unknown, issues: Issue[]) {
  const handlers: Partial<Record<HandlerKind, Step>> = {};
  if (value === undefined) return handlers;
  for (const [kind, item] of Object.entries(value as Record<string, unknown>)) {
    const path = ['handler_on', kind];
    if (!(HANDLER_KINDS as readonly string[]).includes(kind)) {
      const hint = kind === 'cancel' ? ' (Dagu calls it abort)' : '';
      issues.push({
        path,
        message: `unknown handler "${kind}"${hint}: use ${HANDLER_KINDS.join(', ')}`,
      });
      continue;
    }
    const draft = draftStep(item, path, 0, issues);
    if (!draft) continue;
    const step = toStep(draft, HANDLER_STEP_NAMES[kind as HandlerKind]);
    checkOutputName(step, path, issues);
    handlers[kind as HandlerKind] = step;
  }
  return handlers;
}
