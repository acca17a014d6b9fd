import { SafeStorageError } from './errors.js';
import type { SecretServiceItem } from './keyring-names.js';
import { newKeyringPassword } from './os-crypt-format.js';
import { type ToolResult, describeFailure, runTool } from './run-tool.js';

/** The Linux Secret Service, reached through libsecret's `secret-tool`. */
export interface SecretServiceKeyring {
  /** True when a Secret Service answers on the session bus. */
  answers(): boolean;
  /** The item's password, creating the item as Chromium does if missing. */
  readOrCreatePassword(item: SecretServiceItem): string;
}

const SECRET_TOOL = 'secret-tool';
const PROBE_TIMEOUT_MS = 5_000;
// Long enough for a desktop session to show an unlock prompt.
const KEYRING_TIMEOUT_MS = 60_000;
// No item carries this schema; the search only shows that the service answers.
const PROBE_SCHEMA = 'dagdesk.safe-storage-compat.probe';

export const secretToolKeyring: SecretServiceKeyring = {
  answers: () => probe().ok,
  readOrCreatePassword,
};

function probe(): ToolResult {
  const args = ['search', 'xdg:schema', PROBE_SCHEMA];
  return runTool(SECRET_TOOL, args, { timeoutMs: PROBE_TIMEOUT_MS });
}

function readOrCreatePassword(item: SecretServiceItem): string {
  const found = lookupPassword(item);
  if (found !== undefined) return found;

  refuseIfItemExists(item);
  storePassword(item, newKeyringPassword());

  // Read back, so that this process and later lookups agree on one item.
  const stored = lookupPassword(item);
  if (stored === undefined) {
    throw keyringFailed(item, 'the new item could not be read back');
  }
  return stored;
}

// Chromium matches on the application attribute alone, so this does too.
function lookupPassword(item: SecretServiceItem): string | undefined {
  const args = ['lookup', 'application', item.application];
  const result = runTool(SECRET_TOOL, args, { timeoutMs: KEYRING_TIMEOUT_MS });
  if (result.ok) return result.stdout;

  // secret-tool exits 1 without a message when nothing matches.
  if (result.failure === 'exit' && result.status === 1 && !result.stderr) {
    return undefined;
  }
  throw keyringFailed(item, describeFailure(SECRET_TOOL, result), result);
}

// A locked item is listed by search but not returned by lookup; making a
// second item would strand every value sealed under the first one.
function refuseIfItemExists(item: SecretServiceItem): void {
  const args = ['search', '--all', 'application', item.application];
  const result = runTool(SECRET_TOOL, args, { timeoutMs: KEYRING_TIMEOUT_MS });
  if (!result.ok) {
    throw keyringFailed(item, describeFailure(SECRET_TOOL, result), result);
  }
  if (result.stdout.trim() !== '') {
    throw keyringFailed(
      item,
      'the item exists but could not be read (is the keyring locked?); ' +
        'unlock it and try again',
    );
  }
}

function storePassword(item: SecretServiceItem, password: string): void {
  const args = [
    'store',
    `--label=${item.label}`,
    'xdg:schema',
    item.schema,
    'application',
    item.application,
  ];
  const result = runTool(SECRET_TOOL, args, {
    input: password,
    timeoutMs: KEYRING_TIMEOUT_MS,
  });
  if (!result.ok) {
    throw keyringFailed(item, describeFailure(SECRET_TOOL, result), result);
  }
}

function keyringFailed(
  item: SecretServiceItem,
  reason: string,
  result?: ToolResult,
): SafeStorageError {
  const missing = result?.ok === false && result.failure === 'missing';
  return new SafeStorageError(
    missing ? 'unavailable' : 'keyring_failed',
    `cannot use the "${item.label}" keyring item for application ` +
      `"${item.application}": ${reason}` +
      (missing ? ' (install libsecret-tools)' : ''),
  );
}
