/**
 * Stable codes for expected failures. They cross IPC and REST as data, so
 * callers branch on the code, never on the message.
 */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'already_exists',
  'not_running',
  'timeout',
  'secrets_locked',
  'secret_decrypt_failed',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

/** What an operation that can fail in an expected way returns over IPC. */
export type Result<T> =
  { ok: true; value: T } | { ok: false; error: ErrorBody };
