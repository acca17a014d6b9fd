import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { admin } from '../support/actors.js';
import { apiHarness, untilEnded } from '../support/api.js';

/**
 * The field names and types of Dagu's `RuntimeProfileResponse`,
 * `DAGRunSummary` and `DAGRunDetails` (api/v1/api.yaml, v2.7.8), written
 * out here: required fields are required, optional ones may be absent,
 * and fields Dagdesk adds are allowed.
 */
const timestamp = z.string();
const statusLabel = z.enum([
  'not_started',
  'running',
  'failed',
  'aborted',
  'succeeded',
  'queued',
  'partially_succeeded',
  'waiting',
  'rejected',
]);
const nodeStatusLabel = z.enum([...statusLabel.options, 'skipped', 'retrying']);

const RuntimeProfileEntryResponse = z.looseObject({
  key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
  kind: z.enum(['variable', 'secret']),
  value: z.string().optional(),
  secretId: z.string().optional(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const RuntimeProfileResponse = z.looseObject({
  id: z.string(),
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/)
    .max(128),
  description: z.string().optional(),
  status: z.enum(['active', 'disabled']),
  protected: z.boolean(),
  entries: z.array(RuntimeProfileEntryResponse),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const DAGRunSummary = z.looseObject({
  dagRunId: z.string(),
  name: z.string(),
  workspace: z.string().optional(),
  status: z.number().int().min(0).max(8),
  statusLabel,
  queuedAt: z.string().optional(),
  autoRetryCount: z.number().int(),
  autoRetryLimit: z.number().int().nullable(),
  scheduleTime: z.string().optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  artifactsAvailable: z.boolean(),
  params: z.string().optional(),
  profileName: z.string().optional(),
  workerId: z.string().optional(),
  triggerType: z
    .enum(['scheduler', 'manual', 'webhook', 'subdag', 'retry', 'catchup'])
    .optional(),
  labels: z.array(z.string()).nullable(),
  tags: z.array(z.string()).nullable(),
});

const Condition = z.looseObject({
  condition: z.string(),
  expected: z.string().optional(),
  negate: z.boolean().optional(),
});

const Step = z.looseObject({
  name: z.string(),
  id: z.string().optional(),
  description: z.string().optional(),
  commands: z.array(
    z.looseObject({
      command: z.string(),
      args: z.array(z.string()).optional(),
    }),
  ),
  depends: z.array(z.string()).optional(),
  dir: z.string().optional(),
  output: z.string().optional(),
  preconditions: z.array(Condition),
  script: z.string().optional(),
  timeoutSec: z.number().int().optional(),
  call: z.string().optional(),
  params: z.string().optional(),
});

const SubDAGRun = z.looseObject({
  dagRunId: z.string(),
  params: z.string().optional(),
  dagName: z.string().optional(),
});

const Node = z.looseObject({
  step: Step,
  stdout: z.string(),
  stderr: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  status: z.number().int().min(0).max(9),
  statusLabel: nodeStatusLabel,
  retryCount: z.number().int(),
  doneCount: z.number().int(),
  subRuns: z.array(SubDAGRun),
  subRunsRepeated: z.array(SubDAGRun),
  error: z.string().optional(),
});

const DAGRunDetails = DAGRunSummary.extend({
  rootDAGRunName: z.string(),
  rootDAGRunId: z.string(),
  parentDAGRunName: z.string().optional(),
  parentDAGRunId: z.string().optional(),
  log: z.string(),
  nodes: z.array(Node),
  onExit: Node.optional(),
  onSuccess: Node.optional(),
  onFailure: Node.optional(),
  onAbort: Node.optional(),
  preconditions: z.array(Condition),
});

function conforms(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe("responses against Dagu's OpenAPI shapes", () => {
  it('RuntimeProfileResponse, for create, get, list, and each kind of entry', async () => {
    const api = await apiHarness();
    const created = await api.call('POST', '/profiles', {
      body: { name: 'prod', description: 'p' },
    });
    await api.call('PUT', '/profiles/prod/variables/V', {
      body: { value: 'v' },
    });
    const withSecret = await api.call('PUT', '/profiles/prod/secrets/S', {
      body: { value: 'sek-ret-1' },
    });
    const list = await api.call('GET', '/profiles');
    for (const profile of [
      created.json,
      withSecret.json,
      ...list.json.profiles,
    ]) {
      expect(conforms(RuntimeProfileResponse, profile)).toEqual([]);
    }
    expect(Object.keys(list.json)).toEqual(['profiles']);
  });

  it('DAGRunSummary and DAGRunDetails, with steps, handlers and a profile', async () => {
    const api = await apiHarness();
    api.core.profiles.create(admin, { name: 'prod' });
    api.writeDag(
      'etl',
      'params: "A=1"\n' +
        'handler_on:\n' +
        '  exit: {run: "true"}\n' +
        'steps:\n' +
        '  - {id: a, run: "echo a", output: OUT}\n' +
        '  - {name: b, run: "exit 1", depends: a}\n' +
        '  - {name: c, call: child}\n' +
        '---\n' +
        'name: child\n' +
        'steps:\n' +
        '  - run: "true"\n',
    );
    const started = await api.call('POST', '/dags/etl/start', {
      body: { profile: 'prod' },
    });
    const details = await untilEnded(api, 'etl', started.json.dagRunId);
    expect(conforms(DAGRunDetails, details)).toEqual([]);
    expect(details.onExit.step.name).toBe('onExit');

    const list = await api.call('GET', '/dag-runs');
    expect(list.json.dagRuns.length).toBeGreaterThan(0);
    for (const summary of list.json.dagRuns)
      expect(conforms(DAGRunSummary, summary)).toEqual([]);
    const child = list.json.dagRuns.find(
      (r: { name: string }) => r.name === 'child',
    );
    const childDetails = (
      await api.call('GET', `/dag-runs/child/${child.dagRunId}`)
    ).json.dagRunDetails;
    expect(conforms(DAGRunDetails, childDetails)).toEqual([]);
    expect(childDetails).toMatchObject({
      parentDAGRunName: 'etl',
      triggerType: 'subdag',
      profileName: 'prod',
    });
  });
});
