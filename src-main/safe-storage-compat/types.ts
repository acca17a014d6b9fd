/**
 * The backend names Electron's `safeStorage.getSelectedStorageBackend()`
 * reports on Linux, plus the ones this module reports elsewhere.
 */
export type StorageBackend =
  | 'basic_text'
  | 'gnome_libsecret'
  | 'kwallet'
  | 'kwallet5'
  | 'kwallet6'
  | 'keychain'
  | 'dpapi'
  | 'unknown';

/** The synchronous surface of Electron's `safeStorage`. */
export interface SafeStorage {
  /**
   * True when a backend is usable. Linux `basic_text` counts as usable
   * (Electron says so only after `setUsePlainTextEncryption(true)`); check
   * `getSelectedStorageBackend()` to refuse it.
   */
  isEncryptionAvailable(): boolean;
  /** Seals `plainText`; `''` seals to an empty buffer, as in Electron. */
  encryptString(plainText: string): Buffer;
  /**
   * Opens what `encryptString` (here or in Electron) sealed. Anything else,
   * including plaintext that is not UTF-8, fails with `decrypt_failed`.
   */
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend(): StorageBackend;
}

export interface SafeStorageCompatOptions {
  /**
   * The Electron app's name (`app.name`: `productName`, else `name`, from
   * package.json). It names the keyring item, so it must match the app's.
   */
  applicationName: string;
  /** Defaults to `process.platform`. */
  platform?: NodeJS.Platform;
  /**
   * Linux only, like Chromium's `--password-store`. When unset, libsecret
   * is used if a Secret Service answers, else `basic`. Chromium instead
   * picks by desktop environment (KWallet on KDE, `basic` on unknown
   * desktops), so an app started without the flag may choose differently.
   */
  passwordStore?: 'basic' | 'gnome-libsecret';
}
