import { type Actor, isAtLeast } from '../../src-shared/roles.js';
import { forbidden } from '../errors.js';

/**
 * The access matrix for profiles, in one place so the CLI, REST and IPC
 * all enforce the same rules.
 *
 * - view and manage: managers, on profiles that are not protected; admins
 *   on all. Only admins create protected profiles or change the flag.
 * - use (name a profile for a new run): operators and above; a protected
 *   profile needs an admin.
 * - inherit (a retry or sub-DAG keeps its run's profile): operators and
 *   above, protected or not, since an admin chose it when the run started.
 */
export type ProfileAction = 'view' | 'manage' | 'use' | 'inherit';

interface Target {
  name: string;
  protected: boolean;
}

const FLOOR = {
  view: 'manager',
  manage: 'manager',
  use: 'operator',
  inherit: 'operator',
} as const;

const VERB = {
  view: 'see',
  manage: 'change',
  use: 'start runs with',
  inherit: 'retry runs with',
} as const;

export function mayAccess(
  actor: Actor,
  action: ProfileAction,
  target: Target,
): boolean {
  if (!isAtLeast(actor.role, FLOOR[action])) return false;
  if (!target.protected || action === 'inherit') return true;
  return actor.role === 'admin';
}

/**
 * Checks the role alone. It runs before the profile is looked up, so a
 * role that may not see profiles cannot learn which ones exist.
 */
export function authorizeRole(actor: Actor, action: ProfileAction): void {
  if (isAtLeast(actor.role, FLOOR[action])) return;
  throw forbidden(
    `role ${actor.role} may not ${VERB[action]} profiles: ` +
      `${FLOOR[action]} or higher is required`,
  );
}

export function authorize(
  actor: Actor,
  action: ProfileAction,
  target: Target,
): void {
  authorizeRole(actor, action);
  if (mayAccess(actor, action, target)) return;
  throw forbidden(
    `profile ${JSON.stringify(target.name)} is protected: ` +
      `only an admin may ${VERB[action]} it`,
  );
}

/** Creating a protected profile, or changing the flag, is for admins. */
export function authorizeProtectionChange(actor: Actor, name: string): void {
  if (actor.role === 'admin') return;
  throw forbidden(
    `only an admin may create a protected profile or change the flag ` +
      `(profile ${JSON.stringify(name)}, role ${actor.role})`,
  );
}
