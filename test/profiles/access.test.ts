import { describe, expect, it } from 'vitest';
import type { Role } from '../../src-shared/roles.js';
import {
  type ProfileAction,
  authorize,
  mayAccess,
} from '../../src-main/profiles/access.js';
import { actorWith } from '../support/actors.js';

// The matrix of DESIGN.md section 7, written out cell by cell:
// [role, action, on a plain profile, on a protected profile].
const MATRIX: Array<[Role, ProfileAction, boolean, boolean]> = [
  ['admin', 'view', true, true],
  ['admin', 'manage', true, true],
  ['admin', 'use', true, true],
  ['admin', 'inherit', true, true],
  ['manager', 'view', true, false],
  ['manager', 'manage', true, false],
  ['manager', 'use', true, false],
  ['manager', 'inherit', true, true],
  ['developer', 'view', false, false],
  ['developer', 'manage', false, false],
  ['developer', 'use', true, false],
  ['developer', 'inherit', true, true],
  ['operator', 'view', false, false],
  ['operator', 'manage', false, false],
  ['operator', 'use', true, false],
  ['operator', 'inherit', true, true],
  ['viewer', 'view', false, false],
  ['viewer', 'manage', false, false],
  ['viewer', 'use', false, false],
  ['viewer', 'inherit', false, false],
];

describe('profile access matrix', () => {
  it.each(MATRIX)(
    '%s may %s: plain %s, protected %s',
    (role, action, plain, guarded) => {
      const actor = actorWith(role);
      expect(mayAccess(actor, action, { name: 'p', protected: false })).toBe(
        plain,
      );
      expect(mayAccess(actor, action, { name: 'p', protected: true })).toBe(
        guarded,
      );
    },
  );

  it('says which role is needed when the role is too low', () => {
    expect(() =>
      authorize(actorWith('viewer'), 'use', { name: 'prod', protected: false }),
    ).toThrow(
      'role viewer may not start runs with profiles: operator or higher is required',
    );
  });

  it('says the profile is protected when only that stands in the way', () => {
    expect(() =>
      authorize(actorWith('manager'), 'manage', {
        name: 'prod',
        protected: true,
      }),
    ).toThrow('profile "prod" is protected: only an admin may change it');
  });
});
