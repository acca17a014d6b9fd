/** Why a safe-storage call failed. */
export type SafeStorageErrorCode =
  /** No usable backend on this platform or in this session. */
  | 'unavailable'
  /** The OS keyring was reached but refused, failed or timed out. */
  | 'keyring_failed'
  /** Not an OS crypt value, sealed under another key, or tampered with. */
  | 'decrypt_failed'
  /** The options cannot name a keyring item. */
  | 'invalid_options';

/** An expected safe-storage failure with a stable code. */
export class SafeStorageError extends Error {
  constructor(
    readonly code: SafeStorageErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SafeStorageError';
  }
}
