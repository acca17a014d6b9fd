/**
 * The keyring items Electron's `safeStorage` keeps its password in, named
 * exactly as Electron names them for an app called `applicationName`.
 */

/** Linux: one Secret Service item, found by its `application` attribute. */
export interface SecretServiceItem {
  schema: string;
  application: string;
  label: string;
}

/** macOS: one generic password, found by service and account. */
export interface KeychainItem {
  service: string;
  account: string;
  /** Electron before the " Key" suffix; it still reads and migrates it. */
  legacyAccount: string;
}

export function secretServiceItemFor(
  applicationName: string,
): SecretServiceItem {
  // Electron passes its app name unchanged; the label is Chromium's fixed
  // (non-Chrome-branded) key name, whatever the app is called.
  return {
    schema: 'chrome_libsecret_os_crypt_password_v2',
    application: applicationName,
    label: 'Chromium Safe Storage',
  };
}

export function keychainItemFor(applicationName: string): KeychainItem {
  return {
    service: `${applicationName} Safe Storage`,
    account: `${applicationName} Key`,
    legacyAccount: applicationName,
  };
}
