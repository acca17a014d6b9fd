import { z } from 'zod';

/**
 * Validation of everything an operator types into a profile. Each message
 * says what was wrong and what is allowed.
 */

export const PROFILE_NAME_MAX = 128;
export const ENTRY_KEY_MAX = 255;
export const DESCRIPTION_MAX = 1024;
/** Linux refuses a single environment string longer than this. */
export const VALUE_MAX_BYTES = 128 * 1024 - 1;
export const RESERVED_KEY_PREFIX = 'DAGU_';

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const profileNameSchema = z
  .string({ error: 'profile name must be a string' })
  .superRefine((name, ctx) => {
    const problem = profileNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

function profileNameProblem(name: string): string | undefined {
  const allowed =
    'use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit';
  if (name === '') return `profile name is empty (${allowed})`;
  if (name.length > PROFILE_NAME_MAX) {
    return (
      `profile name is ${name.length} characters long: at most ` +
      `${PROFILE_NAME_MAX} are allowed`
    );
  }
  if (!NAME_PATTERN.test(name)) {
    return `invalid profile name: ${JSON.stringify(name)} (${allowed})`;
  }
  return undefined;
}

export const entryKeySchema = z
  .string({ error: 'key must be a string' })
  .superRefine((key, ctx) => {
    const problem = entryKeyProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

function entryKeyProblem(key: string): string | undefined {
  const allowed = 'use letters, digits and "_", not starting with a digit';
  if (key === '') return `profile key is empty (${allowed})`;
  if (key.length > ENTRY_KEY_MAX) {
    return `profile key is ${key.length} characters long: at most ${ENTRY_KEY_MAX} are allowed`;
  }
  if (!KEY_PATTERN.test(key)) {
    return `invalid profile key: ${JSON.stringify(key)} (${allowed})`;
  }
  if (key.startsWith(RESERVED_KEY_PREFIX)) {
    return (
      `profile key is reserved: ${JSON.stringify(key)} (keys starting with ` +
      `${RESERVED_KEY_PREFIX} are set by Dagdesk)`
    );
  }
  return undefined;
}

export const descriptionSchema = z
  .string({ error: 'description must be a string' })
  .max(DESCRIPTION_MAX, {
    error: `description is too long: at most ${DESCRIPTION_MAX} characters are allowed`,
  });

const valueSize = (value: string) => new TextEncoder().encode(value).length;

export const variableValueSchema = z
  .string({ error: 'variable value must be a string' })
  .refine((value) => valueSize(value) <= VALUE_MAX_BYTES, {
    error: `variable value is too long: at most ${VALUE_MAX_BYTES} bytes are allowed`,
  })
  .refine((value) => !value.includes('\0'), {
    error: 'variable value contains a NUL byte, which no environment can hold',
  });

export const secretValueSchema = z
  .string({ error: 'secret value must be a string' })
  .refine((value) => value.length > 0, {
    error: 'secret value is empty: a secret needs at least one character',
  })
  .refine((value) => valueSize(value) <= VALUE_MAX_BYTES, {
    error: `secret value is too long: at most ${VALUE_MAX_BYTES} bytes are allowed`,
  })
  .refine((value) => !value.includes('\0'), {
    error: 'secret value contains a NUL byte, which no environment can hold',
  });

/** The first problem zod found, as one line. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return where + issue.message;
}
