import { SafeStorageError } from './errors.js';
import { keychainItemFor } from './keyring-names.js';
import { type MacKeychain, securityKeychain } from './keychain.js';
import { MAC_ITERATIONS, deriveOsCryptKey } from './os-crypt-format.js';
import type { OsCryptKeys } from './os-crypt-storage.js';

/** macOS keys as Chromium's OS crypt keeps them: v10 only. */
export function macKeys(
  applicationName: string,
  keychain: MacKeychain = securityKeychain,
): OsCryptKeys {
  const item = keychainItemFor(applicationName);
  let key: Buffer | undefined;
  return {
    backend: () => 'keychain',
    sealPrefix: () => 'v10',
    keyFor(prefix) {
      if (prefix === 'v11') {
        throw new SafeStorageError(
          'decrypt_failed',
          'the value is v11, a Linux Secret Service format; macOS only ' +
            'opens v10 values',
        );
      }
      key ??= deriveOsCryptKey(
        keychain.readOrCreatePassword(item),
        MAC_ITERATIONS,
      );
      return key;
    },
  };
}
