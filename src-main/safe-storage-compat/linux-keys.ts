import { SafeStorageError } from './errors.js';
import {
  type SecretServiceItem,
  secretServiceItemFor,
} from './keyring-names.js';
import {
  BASIC_TEXT_PASSWORD,
  LINUX_ITERATIONS,
  deriveOsCryptKey,
} from './os-crypt-format.js';
import type { OsCryptKeys } from './os-crypt-storage.js';
import { type SecretServiceKeyring, secretToolKeyring } from './secret-tool.js';
import type { SafeStorageCompatOptions } from './types.js';

type LinuxOptions = Pick<
  SafeStorageCompatOptions,
  'applicationName' | 'passwordStore'
>;

const V10_KEY = deriveOsCryptKey(BASIC_TEXT_PASSWORD, LINUX_ITERATIONS);

/**
 * Linux keys as Chromium's OS crypt keeps them: v10 under the hard-coded
 * password, v11 under a password in the Secret Service. The store is chosen
 * on first use, so creating an instance runs no command.
 */
export function linuxKeys(
  options: LinuxOptions,
  keyring: SecretServiceKeyring = secretToolKeyring,
): OsCryptKeys {
  return deferKeys(() => {
    const store =
      options.passwordStore ??
      (keyring.answers() ? 'gnome-libsecret' : 'basic');
    if (store === 'basic') return basicTextKeys();

    const item = secretServiceItemFor(options.applicationName);
    return libsecretKeys(item, keyring);
  });
}

function basicTextKeys(): OsCryptKeys {
  return {
    backend: () => 'basic_text',
    sealPrefix: () => 'v10',
    keyFor(prefix) {
      if (prefix === 'v10') return V10_KEY;
      throw new SafeStorageError(
        'decrypt_failed',
        'the value is v11, sealed under a Secret Service password, but ' +
          'this process uses the basic password store; open it where the ' +
          'keyring is reachable',
      );
    },
  };
}

function libsecretKeys(
  item: SecretServiceItem,
  keyring: SecretServiceKeyring,
): OsCryptKeys {
  let v11Key: Buffer | undefined;
  return {
    backend: () => 'gnome_libsecret',
    sealPrefix: () => 'v11',
    keyFor(prefix) {
      if (prefix === 'v10') return V10_KEY;
      v11Key ??= deriveOsCryptKey(
        keyring.readOrCreatePassword(item),
        LINUX_ITERATIONS,
      );
      return v11Key;
    },
  };
}

function deferKeys(select: () => OsCryptKeys): OsCryptKeys {
  let chosen: OsCryptKeys | undefined;
  const keys = () => (chosen ??= select());
  return {
    backend: () => keys().backend(),
    sealPrefix: () => keys().sealPrefix(),
    keyFor: (prefix) => keys().keyFor(prefix),
  };
}
