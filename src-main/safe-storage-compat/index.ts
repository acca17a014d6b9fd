import { SafeStorageError } from './errors.js';
import { linuxKeys } from './linux-keys.js';
import { macKeys } from './mac-keys.js';
import { createOsCryptStorage } from './os-crypt-storage.js';
import type { SafeStorage, SafeStorageCompatOptions } from './types.js';
import { createUnavailableStorage } from './unavailable-storage.js';

export { SafeStorageError, type SafeStorageErrorCode } from './errors.js';
export type {
  SafeStorage,
  SafeStorageCompatOptions,
  StorageBackend,
} from './types.js';

/**
 * Electron's `safeStorage` for code running outside Electron: the same OS
 * keyring item and the same ciphertext as the app named `applicationName`,
 * so either side opens what the other sealed.
 */
export function createSafeStorageCompat(
  options: SafeStorageCompatOptions,
): SafeStorage {
  const applicationName = checkApplicationName(options.applicationName);
  const platform = options.platform ?? process.platform;

  if (platform === 'linux') {
    const { passwordStore } = options;
    return createOsCryptStorage(linuxKeys({ applicationName, passwordStore }));
  }
  if (platform === 'darwin') {
    return createOsCryptStorage(macKeys(applicationName));
  }
  return createUnavailableStorage(platform);
}

function checkApplicationName(name: string): string {
  // Electron trims the name it reads from package.json.
  const usable = name.trim() === name && name !== '';
  if (usable && !/[\p{Cc}]/u.test(name)) return name;

  throw new SafeStorageError(
    'invalid_options',
    `applicationName must be the Electron app's name, without control ` +
      `characters or surrounding spaces: ${JSON.stringify(name)}`,
  );
}
