import { describe, expect, it } from 'vitest';
import {
  ENTRY_KEY_MAX,
  PROFILE_NAME_MAX,
  VALUE_MAX_BYTES,
  descriptionSchema,
  entryKeySchema,
  firstProblem,
  profileNameSchema,
  secretValueSchema,
  variableValueSchema,
} from '../../src-shared/profile-rules.js';
import type { z } from 'zod';

function problem(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : firstProblem(result.error);
}

describe('profile names', () => {
  it.each([
    'prod',
    'dev-1',
    'a',
    '0',
    'team.staging',
    'eu_west',
    'a'.repeat(PROFILE_NAME_MAX),
  ])('accepts %j', (name) =>
    expect(problem(profileNameSchema, name)).toBeUndefined(),
  );

  it.each([
    ['', /empty/],
    ['Prod', /invalid profile name: "Prod" \(use lowercase letters/],
    ['-dev', /starting with a letter or digit/],
    ['.hidden', /starting with a letter or digit/],
    ['has space', /invalid profile name/],
    ['a/b', /invalid profile name/],
    ['pröd', /invalid profile name/],
    ['a'.repeat(PROFILE_NAME_MAX + 1), /at most 128/],
  ])('refuses %j', (name, message) => {
    expect(problem(profileNameSchema, name)).toMatch(message);
  });

  it('refuses a non-string', () => {
    expect(problem(profileNameSchema, 42)).toMatch(/must be a string/);
  });
});

describe('entry keys', () => {
  it.each([
    'API_TOKEN',
    '_private',
    'a',
    'x1',
    'dagu_lower',
    'A'.repeat(ENTRY_KEY_MAX),
  ])('accepts %j', (key) =>
    expect(problem(entryKeySchema, key)).toBeUndefined(),
  );

  it.each([
    ['', /empty/],
    ['1ABC', /invalid profile key: "1ABC" \(use letters, digits and "_"/],
    ['API-TOKEN', /invalid profile key/],
    ['A B', /invalid profile key/],
    ['A=B', /invalid profile key/],
    [
      'DAGU_HOME',
      /profile key is reserved: "DAGU_HOME" \(keys starting with DAGU_ are set by Dagdesk\)/,
    ],
    ['A'.repeat(ENTRY_KEY_MAX + 1), /at most 255/],
  ])('refuses %j', (key, message) => {
    expect(problem(entryKeySchema, key)).toMatch(message);
  });
});

describe('values', () => {
  it('lets a variable be empty or multi-line', () => {
    expect(problem(variableValueSchema, '')).toBeUndefined();
    expect(problem(variableValueSchema, 'line 1\nline 2\n')).toBeUndefined();
  });

  it('refuses an empty secret', () => {
    expect(problem(secretValueSchema, '')).toMatch(/secret value is empty/);
  });

  it('refuses values no environment can hold', () => {
    expect(problem(secretValueSchema, 'a\0b')).toMatch(/NUL/);
    expect(problem(variableValueSchema, 'a\0b')).toMatch(/NUL/);
    const big = 'x'.repeat(VALUE_MAX_BYTES + 1);
    expect(problem(secretValueSchema, big)).toMatch(/too long: at most/);
    expect(problem(variableValueSchema, big)).toMatch(/too long: at most/);
  });

  it('counts bytes, not characters, against the limit', () => {
    const euros = '€'.repeat(Math.ceil(VALUE_MAX_BYTES / 3) + 1);
    expect(euros.length).toBeLessThan(VALUE_MAX_BYTES);
    expect(problem(variableValueSchema, euros)).toMatch(/too long/);
  });

  it('limits descriptions', () => {
    expect(problem(descriptionSchema, 'x'.repeat(1024))).toBeUndefined();
    expect(problem(descriptionSchema, 'x'.repeat(1025))).toMatch(
      /at most 1024/,
    );
  });
});
