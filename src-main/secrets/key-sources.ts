/**
 * The OS-protected storage the data key can be wrapped with: Electron's
 * `safeStorage` in the app, `safe-storage-compat` under plain Node.
 */
export interface OsProtectedStorage {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend(): string;
}

/** Everything a process has that might open the store's data key. */
export interface KeySources {
  os?: OsProtectedStorage;
  /** `DAGDESK_MASTER_KEY`: a passphrase for headless and CI use. */
  masterKey?: string;
  /** `DAGDESK_RECOVERY_KEY`: the recovery key shown when its slot was made. */
  recoveryKey?: string;
  /** Accept Linux `basic_text`, which is a hard-coded key. */
  allowBasicText?: boolean;
}

export const MASTER_KEY_MIN = 16;

type Env = Record<string, string | undefined>;

/** The key sources the environment names; `os` is added by the caller. */
export function keySourcesFromEnv(env: Env): KeySources {
  return {
    masterKey: env.DAGDESK_MASTER_KEY || undefined,
    recoveryKey: env.DAGDESK_RECOVERY_KEY || undefined,
    allowBasicText: env.DAGDESK_ALLOW_BASIC_TEXT === '1',
  };
}
