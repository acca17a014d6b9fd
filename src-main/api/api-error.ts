import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode } from '../../src-shared/errors.js';
import { DagdeskError } from '../errors.js';

/** The HTTP status of each error code (DESIGN.md section 9). */
export const STATUS_OF: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  already_exists: 409,
  not_running: 400,
  timeout: 408,
  secrets_locked: 503,
  secret_decrypt_failed: 500,
};

/** An expected API failure: a status and Dagu's `{code, message}` body. */
export class ApiError extends DagdeskError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: ContentfulStatusCode = STATUS_OF[code],
  ) {
    super(code, message);
  }
}

export const apiBadRequest = (message: string) =>
  new ApiError('bad_request', message);
export const apiNotFound = (message: string) =>
  new ApiError('not_found', message);

/** Dagu's word for every refused permission. */
export const insufficientPermissions = () =>
  new ApiError('forbidden', 'Insufficient permissions');

/**
 * Runs `operation`, turning the core's errors into Dagu's: its messages
 * where Dagu has fixed ones for the code, the core's own otherwise.
 */
export function asDagu<T>(
  operation: () => T,
  messages: Partial<Record<ErrorCode, string>> = {},
): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof ApiError || !(error instanceof DagdeskError))
      throw error;
    if (error.code === 'forbidden') throw insufficientPermissions();
    throw new ApiError(error.code, messages[error.code] ?? error.message);
  }
}
