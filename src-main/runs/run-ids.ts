import { createHash, randomBytes } from 'node:crypto';
import { badRequest } from '../errors.js';

const RUN_ID = /^[-a-zA-Z0-9_]+$/;
const RUN_ID_MAX = 64;

/** A new run id: a UUID v7, so ids sort by creation time, as in Dagu. */
export function newRunId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return (
    `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-` +
    `${hex.slice(16, 20)}-${hex.slice(20)}`
  );
}

export function checkRunId(id: string): string {
  if (id === '') throw badRequest('dag-run ID must not be empty');
  if (!RUN_ID.test(id)) {
    throw badRequest(
      `invalid dag-run ID ${JSON.stringify(id)}: use letters, digits, "-" and "_"`,
    );
  }
  if (id.length > RUN_ID_MAX) {
    throw badRequest(
      `dag-run ID is ${id.length} characters long: at most ${RUN_ID_MAX} are allowed`,
    );
  }
  return id;
}

/** A sub-DAG's run id, the same for the same parent, step, DAG and params. */
export function childRunId(
  parentRunId: string,
  step: string,
  dag: string,
  params: string,
): string {
  const digest = createHash('sha256')
    .update(`${parentRunId}:${step}:${dag}\0${params}`)
    .digest();
  return digest.toString('base64url');
}

/** `attempt_<UTC time>_<random>`: sorts by time, unique per run. */
export function newAttemptId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '_')
    .slice(0, 15);
  return `attempt_${stamp}_${randomBytes(3).toString('hex')}`;
}
