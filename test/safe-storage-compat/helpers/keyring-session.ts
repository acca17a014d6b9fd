import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * The keyring tests need the private D-Bus session with an unlocked
 * gnome-keyring that scripts/test.sh starts; they fail without it.
 */
export function requireKeyringSession(): void {
  if (process.env.DAGDESK_TEST_KEYRING === '1') return;
  throw new Error(
    'no test keyring: run `bash scripts/test.sh test/safe-storage-compat`, ' +
      'which starts gnome-keyring in a private D-Bus session (needs the ' +
      'Debian packages gnome-keyring, libsecret-tools and dbus-x11)',
  );
}

/** An app name no other test uses, with a space as real names have. */
export function uniqueAppName(): string {
  return `Dagdesk Test ${randomBytes(4).toString('hex')}`;
}

export interface KeyringItem {
  label: string;
  schema: string;
  secret: string;
}

/**
 * Every item whose application attribute is `application`. (secret-tool
 * prints the attributes themselves on stderr.)
 */
export function itemsFor(application: string): KeyringItem[] {
  const out = secretTool(['search', '--all', 'application', application]);
  return out
    .split(/^\[/m)
    .filter((block) => block.trim() !== '')
    .map((block) => ({
      label: field(block, 'label'),
      schema: field(block, 'schema'),
      secret: field(block, 'secret'),
    }));
}

/** The password Electron would read: schema v2 plus the application. */
export function lookupPassword(application: string): string | undefined {
  const result = spawnSync(
    'secret-tool',
    [
      'lookup',
      'xdg:schema',
      'chrome_libsecret_os_crypt_password_v2',
      'application',
      application,
    ],
    { encoding: 'utf8' },
  );
  return result.status === 0 ? result.stdout : undefined;
}

/** Stores an item as Chromium would, for tests where the app came first. */
export function storeItem(application: string, password: string): void {
  secretTool(
    [
      'store',
      '--label=Chromium Safe Storage',
      'xdg:schema',
      'chrome_libsecret_os_crypt_password_v2',
      'application',
      application,
    ],
    password,
  );
}

export function clearItems(application: string): void {
  spawnSync('secret-tool', ['clear', 'application', application]);
}

function secretTool(args: string[], input = ''): string {
  const result = spawnSync('secret-tool', args, { input, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`secret-tool ${args[0]} failed: ${result.stderr}`);
  }
  return result.stdout;
}

function field(block: string, name: string): string {
  const prefix = `${name} = `;
  const line = block.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? '' : line.slice(prefix.length);
}
