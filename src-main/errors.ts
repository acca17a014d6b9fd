import type { ErrorBody, ErrorCode } from '../src-shared/errors.js';

/**
 * An expected failure with a stable code. The CLI turns it into exit code 2,
 * REST into a status, IPC into a failed Result; anything else is a bug.
 */
export class DagdeskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DagdeskError';
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** A profile entry whose secret could not be decrypted. */
export interface UnreadableEntry {
  profile: string;
  key: string;
}

/** Decryption failed; the run must not start with a missing value. */
export class SecretDecryptError extends DagdeskError {
  constructor(
    readonly entries: UnreadableEntry[],
    cause: string,
  ) {
    const names = entries.map((e) => `${e.profile}/${e.key}`).join(', ');
    super(
      'secret_decrypt_failed',
      `cannot decrypt secrets ${names}: ${cause}; set them again, or open ` +
        'the store with the key slot that sealed them',
    );
  }
}

export const badRequest = (message: string) =>
  new DagdeskError('bad_request', message);
export const notFound = (message: string) =>
  new DagdeskError('not_found', message);
export const forbidden = (message: string) =>
  new DagdeskError('forbidden', message);
