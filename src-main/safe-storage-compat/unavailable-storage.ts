import { SafeStorageError } from './errors.js';
import type { SafeStorage } from './types.js';

/**
 * A platform this module cannot reach protected storage on. Windows DPAPI
 * needs native code, which plain Node does not have.
 */
export function createUnavailableStorage(
  platform: NodeJS.Platform,
): SafeStorage {
  const reason =
    platform === 'win32'
      ? 'Windows DPAPI cannot be reached outside the Electron app'
      : `there is no OS protected storage for ${platform} outside Electron`;
  const fail = (): never => {
    throw new SafeStorageError(
      'unavailable',
      `${reason}: set DAGDESK_MASTER_KEY to open the store with its ` +
        'environment key slot instead',
    );
  };

  return {
    isEncryptionAvailable: () => false,
    encryptString: fail,
    decryptString: fail,
    getSelectedStorageBackend: () => 'unknown',
  };
}
