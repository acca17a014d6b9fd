import { ROLES, type Actor, type Role } from '../../src-shared/roles.js';

export const admin: Actor = { name: 'test-admin', role: 'admin' };

export function actorWith(role: Role): Actor {
  return { name: `test-${role}`, role };
}

export const everyRole = ROLES;
