import {
  firstProblem,
  profileNameSchema,
} from '../../src-shared/profile-rules.js';
import { timestamp } from '../clock.js';
import type { DagFile } from '../dags/dag.js';
import {
  type RunParams,
  resolveParams,
  tokenFromArgument,
  tokensFromText,
} from '../dags/params.js';
import { badRequest } from '../errors.js';
import { checkRunId, newRunId } from './run-ids.js';
import type { NewRun } from './run-store.js';
import { RUN_STATUS, type RunStatus } from './status.js';

/** A new run of a DAG from a file. */
export interface RunRequest {
  file: DagFile;
  /** Parameter values, as `-- K=V` arguments give them. */
  params?: readonly string[];
  /** `K=V K2=V2` or JSON, as `--params` or a REST body gives them. */
  paramsText?: string;
  profile?: string;
  runId?: string;
  queue?: string;
}

/** The request's parameters applied to its DAG's defaults; `-- K=V` wins. */
function requestParams(request: RunRequest): RunParams {
  const defaults = request.file.main.params;
  if (request.params && request.params.length > 0) {
    return resolveParams(defaults, request.params.map(tokenFromArgument));
  }
  return resolveParams(
    defaults,
    request.paramsText ? tokensFromText(request.paramsText) : [],
  );
}

/** The run row a request makes, checked: bad input throws before a run exists. */
export function newRunRow(
  request: RunRequest,
  trigger: string,
  status: RunStatus,
): NewRun {
  const dag = request.file.main;
  const params = requestParams(request);
  const profile = checkProfileName(request.profile);
  const id =
    request.runId === undefined ? newRunId() : checkRunId(request.runId);
  const now = timestamp();
  return {
    dag_name: dag.name,
    run_id: id,
    dag_file: request.file.path,
    dag_source: request.file.source,
    params: JSON.stringify(params),
    params_sealed: null,
    profile_name: profile ?? null,
    queue: request.queue || dag.queue || dag.name,
    status,
    trigger_type: trigger,
    root_name: dag.name,
    root_run_id: id,
    parent_name: null,
    parent_run_id: null,
    inherited_masks: null,
    created_at: now,
    queued_at: status === RUN_STATUS.queued ? now : null,
  };
}

/** A profile name a caller gave, trimmed; empty means none. */
export function checkProfileName(name: string | undefined): string | undefined {
  if (name === undefined || name.trim() === '') return undefined;
  const parsed = profileNameSchema.safeParse(name.trim());
  if (!parsed.success) throw badRequest(firstProblem(parsed.error));
  return parsed.data;
}
