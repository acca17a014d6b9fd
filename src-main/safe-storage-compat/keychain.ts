import { SafeStorageError } from './errors.js';
import type { KeychainItem } from './keyring-names.js';
import { newKeyringPassword } from './os-crypt-format.js';
import { type ToolResult, describeFailure, runTool } from './run-tool.js';

/** The macOS login keychain, reached through `/usr/bin/security`. */
export interface MacKeychain {
  /** The item's password, creating the item as Chromium does if missing. */
  readOrCreatePassword(item: KeychainItem): string;
}

const SECURITY = '/usr/bin/security';
// Long enough for the user to answer a keychain access prompt.
const KEYCHAIN_TIMEOUT_MS = 60_000;
// security's exit status for errSecItemNotFound.
const NOT_FOUND_STATUS = 44;

export const securityKeychain: MacKeychain = { readOrCreatePassword };

function readOrCreatePassword(item: KeychainItem): string {
  const current = findPassword(item, item.account);
  if (current !== undefined) return current;

  // Electron moves a legacy item to the new account on its next start.
  const legacy = findPassword(item, item.legacyAccount);
  if (legacy !== undefined) return legacy;

  addPassword(item, newKeyringPassword());
  const added = findPassword(item, item.account);
  if (added === undefined) {
    throw keychainFailed(item, 'the new item could not be read back');
  }
  return added;
}

function findPassword(item: KeychainItem, account: string) {
  const args = [
    'find-generic-password',
    '-w',
    '-s',
    item.service,
    '-a',
    account,
  ];
  const result = runTool(SECURITY, args, { timeoutMs: KEYCHAIN_TIMEOUT_MS });
  if (result.ok) return result.stdout.replace(/\n$/, '');

  if (result.failure === 'exit' && result.status === NOT_FOUND_STATUS) {
    return undefined;
  }
  throw keychainFailed(item, describeFailure('security', result), result);
}

// `security -i` reads the command from stdin, which keeps the password out
// of the process list.
function addPassword(item: KeychainItem, password: string): void {
  const words = ['-s', item.service, '-a', item.account, '-w', password];
  const command = `add-generic-password ${words.map(quote).join(' ')}\n`;
  const result = runTool(SECURITY, ['-i'], {
    input: command,
    timeoutMs: KEYCHAIN_TIMEOUT_MS,
  });
  if (!result.ok) {
    throw keychainFailed(item, describeFailure('security', result), result);
  }
}

function quote(word: string): string {
  if (/["\\\n]/.test(word)) {
    throw new SafeStorageError(
      'invalid_options',
      `cannot name a keychain item with ${JSON.stringify(word)}: ` +
        'quotes, backslashes and line breaks are not supported',
    );
  }
  return `"${word}"`;
}

function keychainFailed(
  item: KeychainItem,
  reason: string,
  result?: ToolResult,
): SafeStorageError {
  const missing = result?.ok === false && result.failure === 'missing';
  return new SafeStorageError(
    missing ? 'unavailable' : 'keyring_failed',
    `cannot use the keychain item "${item.service}": ${reason}`,
  );
}
