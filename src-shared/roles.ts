/** Roles, highest first. The desktop user and the local CLI act as admin. */
export const ROLES = [
  'admin',
  'manager',
  'developer',
  'operator',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

/** Who performs an operation; audit events name them. */
export interface Actor {
  name: string;
  role: Role;
}

/** True when `role` ranks at least as high as `floor`. */
export function isAtLeast(role: Role, floor: Role): boolean {
  return ROLES.indexOf(role) <= ROLES.indexOf(floor);
}
