import { z } from 'zod';
import { DEFAULT_MAX_OUTPUT_SIZE } from './dag.js';
import { paramsForm } from './params.js';
import { secretsForm } from './secrets-form.js';
import {
  continueOnForm,
  envForm,
  isPlainObject,
  preconditionsForm,
  retryPolicyForm,
  seconds,
  shellForm,
  stringList,
} from './yaml-forms.js';

/**
 * The keys of a DAG document and of a step, as Dagu v2 spells them
 * (snake_case). What a key means at run time is the builder's business.
 */

const text = (what: string) => z.string({ error: `${what} must be a string` });

/** `with:` of a step, by its action. */
const withForm = z
  .strictObject({
    shell: shellForm.optional(),
    dag: text('with.dag').trim().min(1, 'with.dag must name a DAG').optional(),
    params: z.unknown().optional(),
    queue: text('with.queue').optional(),
  })
  .optional();

export const stepSchema = z.strictObject({
  id: text('id').trim().optional(),
  name: text('name').trim().optional(),
  description: text('description').optional(),
  run: z.unknown().optional(),
  command: z.unknown().optional(),
  script: text('script').optional(),
  shell: shellForm.optional(),
  shell_args: z.array(text('shell_args')).optional(),
  with: withForm,
  action: text('action').trim().optional(),
  call: text('call').trim().optional(),
  params: z.unknown().optional(),
  working_dir: text('working_dir').trim().optional(),
  env: envForm.optional(),
  depends: stringList('depends').optional(),
  output: text('output')
    .transform((v) => v.trim().replace(/^\$/, ''))
    .optional(),
  continue_on: continueOnForm.optional(),
  retry_policy: retryPolicyForm.optional(),
  preconditions: preconditionsForm.optional(),
  timeout_sec: seconds('timeout_sec').optional(),
  mail_on_error: z.boolean().optional(),
  signal_on_stop: z.string().optional(),
});

export type RawStep = z.infer<typeof stepSchema>;

/** Dagu keys Dagdesk accepts and does not act on: a local run has no use. */
export const IGNORED_DAG_KEYS = [
  'schedule',
  'skip_if_successful',
  'catchup_window',
  'overlap_policy',
  'group',
  'labels',
  'tags',
  'hist_retention_days',
  'hist_retention_runs',
  'mail_on',
  'error_mail',
  'info_mail',
  'wait_mail',
  'smtp',
  'max_active_runs',
  'delay_sec',
  'restart_wait_sec',
  'max_clean_up_time_sec',
  'log_dir',
  'otel',
  'worker_selector',
] as const;

const ignored = Object.fromEntries(
  IGNORED_DAG_KEYS.map((key) => [key, z.unknown().optional()]),
);

export const dagSchema = z.strictObject({
  name: text('name').trim().optional(),
  description: text('description').optional(),
  type: z
    .enum(['graph', 'chain'], {
      error: 'type must be "graph" or "chain"',
    })
    .optional(),
  env: envForm.optional(),
  dotenv: stringList('dotenv').optional(),
  params: paramsForm.optional(),
  secrets: secretsForm.optional(),
  working_dir: text('working_dir').trim().optional(),
  shell: shellForm.optional(),
  timeout_sec: seconds('timeout_sec').optional(),
  max_active_steps: z
    .number({ error: 'max_active_steps must be a number' })
    .int()
    .min(0, 'max_active_steps must be 0 (no limit) or more')
    .optional(),
  max_output_size: z
    .number({ error: 'max_output_size must be a number of bytes' })
    .int()
    .min(1)
    .default(DEFAULT_MAX_OUTPUT_SIZE),
  queue: text('queue').trim().optional(),
  preconditions: preconditionsForm.optional(),
  handler_on: z
    .unknown()
    .refine(isPlainObject, 'handler_on must be a map of handlers')
    .optional(),
  steps: z.unknown().optional(),
  ...ignored,
});

export type RawDag = z.infer<typeof dagSchema>;

/**
 * What to say about a key the schema does not know: the snake_case
 * spelling, the v2 name, or that Dagdesk does not run that feature.
 */
export const RENAMED_KEYS: Record<string, string> = {
  dir: 'working_dir',
  precondition: 'preconditions',
  handlerOn: 'handler_on',
  cancel: 'abort',
};

export const UNSUPPORTED_KEYS = new Set([
  'container',
  'executor',
  'type',
  'config',
  'parallel',
  'repeat_policy',
  'approval',
  'retry_policy',
  'ssh',
  's3',
  'llm',
  'redis',
  'kubernetes',
  'harness',
  'tools',
  'artifacts',
  'registry_auths',
  'webhook',
  'resources',
  'actions',
  'step_types',
  'defaults',
  'stdout',
  'stderr',
  'wait',
  'agent',
  'routes',
  'shell_packages',
]);
