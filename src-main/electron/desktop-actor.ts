import { userInfo } from 'node:os';
import type { Actor } from '../../src-shared/roles.js';

/** The person at the window acts as admin, named after the OS user. */
export function desktopActor(): Actor {
  return { name: `desktop:${userInfo().username}`, role: 'admin' };
}
