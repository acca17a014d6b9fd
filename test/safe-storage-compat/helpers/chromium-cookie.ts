import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_LIMIT_MS = 45_000;
const COOKIE_WAIT_MS = 15_000;

export function requireChromium(): void {
  if (existsSync(CHROMIUM)) return;
  throw new Error(
    `${CHROMIUM} not found: the Chromium interop tests need Debian's ` +
      'chromium package (apt-get install -y chromium)',
  );
}

export interface ChromiumCookie {
  host: string;
  /** The `encrypted_value` column: an OS crypt value. */
  encryptedValue: Buffer;
  /** The cookie database version (24 and later prefix a host hash). */
  dbVersion: number;
}

/**
 * Lets headless Chromium, with a new profile, receive a cookie from a local
 * page, and returns the cookie as Chromium stored it.
 */
export async function cookieFromChromium(
  passwordStore: 'basic' | 'gnome-libsecret',
  cookie: { name: string; value: string },
): Promise<ChromiumCookie> {
  const profile = mkdtempSync(join(tmpdir(), 'dagdesk-chromium-'));
  const server = await serveCookie(`${cookie.name}=${cookie.value}`);
  try {
    const { port } = server.address() as AddressInfo;
    await runChromium(profile, passwordStore, `http://127.0.0.1:${port}/`);
    return await waitForCookie(
      join(profile, 'Default', 'Cookies'),
      cookie.name,
    );
  } finally {
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function serveCookie(setCookie: string): Promise<Server> {
  const server = createServer((_request, response) => {
    response.setHeader('Set-Cookie', `${setCookie}; Max-Age=3600; Path=/`);
    response.setHeader('Content-Type', 'text/html');
    response.end('<!doctype html><title>cookie</title><p>set</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function runChromium(
  profile: string,
  passwordStore: string,
  url: string,
): Promise<void> {
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    `--password-store=${passwordStore}`,
    `--user-data-dir=${profile}`,
    '--dump-dom',
    url,
  ];
  // Its own process group, so a hung run can be ended with its helpers.
  const child = spawn(CHROMIUM, args, {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`chromium did not finish: ${stderr}`));
    }, CHROMIUM_LIMIT_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`chromium exited with ${code}: ${stderr}`));
    });
  });
}

// The cookie store may write after the page has loaded: poll, within a bound.
async function waitForCookie(
  file: string,
  name: string,
): Promise<ChromiumCookie> {
  const deadline = Date.now() + COOKIE_WAIT_MS;
  let lastProblem = 'the cookie database was not created';
  while (Date.now() < deadline) {
    try {
      const found = readCookie(file, name);
      if (found) return found;
      lastProblem = `no cookie named ${name} yet`;
    } catch (error) {
      lastProblem = String(error);
    }
    await sleep(100);
  }
  throw new Error(`no cookie from chromium in ${file}: ${lastProblem}`);
}

function readCookie(file: string, name: string): ChromiumCookie | undefined {
  if (!existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare('SELECT host_key, encrypted_value FROM cookies WHERE name = ?')
      .get(name) as { host_key: string; encrypted_value: Buffer } | undefined;
    if (!row) return undefined;
    const meta = db
      .prepare("SELECT value FROM meta WHERE key = 'version'")
      .get() as { value: string };
    return {
      host: row.host_key,
      encryptedValue: row.encrypted_value,
      dbVersion: Number(meta.value),
    };
  } finally {
    db.close();
  }
}
