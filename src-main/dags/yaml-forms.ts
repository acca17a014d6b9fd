import { z } from 'zod';
import type {
  ContinueOn,
  EnvEntries,
  Precondition,
  RetryPolicy,
} from './dag.js';

/**
 * The fields Dagu lets a DAG file spell in several ways, each parsed to
 * one form with a message that says which forms are allowed.
 */

type Ctx = z.RefinementCtx;

function problem(ctx: Ctx, message: string, path: PropertyKey[] = []) {
  ctx.addIssue({ code: 'custom', message, path });
  return z.NEVER;
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (value === null) return '';
  return undefined;
}

/** `env:` as a map, a list of one-key maps, or a list of `KEY=value`. */
export const envForm = z.unknown().transform((value, ctx): EnvEntries => {
  const entries: [string, string][] = [];
  const add = (key: string, raw: unknown, path: PropertyKey[]) => {
    const text = scalarText(raw);
    if (!ENV_KEY.test(key)) {
      problem(
        ctx,
        `invalid variable name ${JSON.stringify(key)} ` +
          '(use letters, digits and "_", not starting with a digit)',
        path,
      );
    } else if (text === undefined) {
      problem(ctx, `${key} must be a string, number or boolean`, path);
    } else entries.push([key, text]);
  };

  if (isPlainObject(value)) {
    for (const [key, raw] of Object.entries(value)) add(key, raw, [key]);
    return entries;
  }
  if (!Array.isArray(value)) {
    return problem(
      ctx,
      'env must be a map or a list of KEY=value or KEY: value',
    );
  }
  value.forEach((item, i) => {
    if (typeof item === 'string') {
      const at = item.indexOf('=');
      if (at <= 0) {
        problem(
          ctx,
          `invalid format ${JSON.stringify(item)} (expected KEY=value)`,
          [i],
        );
      } else add(item.slice(0, at), item.slice(at + 1), [i]);
    } else if (isPlainObject(item)) {
      for (const [key, raw] of Object.entries(item)) add(key, raw, [i, key]);
    } else problem(ctx, 'each env item must be KEY=value or KEY: value', [i]);
  });
  return entries;
});

/** A string, or a list of strings (numbers are written as text). */
export const stringList = (what: string) =>
  z.unknown().transform((value, ctx): string[] => {
    const items = Array.isArray(value) ? value : [value];
    const texts = items.map(scalarText);
    if (texts.some((t) => t === undefined || t === '')) {
      return problem(ctx, `${what} must be a string or a list of strings`);
    }
    return texts as string[];
  });

/** A shell: `bash -e` as one string, or `[bash, -e]`. */
export const shellForm = z.unknown().transform((value, ctx): string[] => {
  if (typeof value === 'string' && value.trim() !== '') {
    return value.trim().split(/\s+/);
  }
  if (Array.isArray(value) && value.length > 0 && value.every(nonEmpty)) {
    return value as string[];
  }
  return problem(
    ctx,
    'shell must be a command such as "bash -e", or a list such as [bash, -e]',
  );
});

const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim() !== '';

export const seconds = (what: string) =>
  z
    .number({ error: `${what} must be a whole number of seconds` })
    .int({ error: `${what} must be a whole number of seconds` })
    .min(0, { error: `${what} must be 0 or more` });

/** `preconditions:` as a command, a map, or a list of either. */
export const preconditionsForm = z
  .unknown()
  .transform((value, ctx): Precondition[] => {
    const items = Array.isArray(value) ? value : [value];
    const parsed: Precondition[] = [];
    items.forEach((item, i) => {
      const path = Array.isArray(value) ? [i] : [];
      if (typeof item === 'string' && item.trim() !== '') {
        parsed.push({ condition: item, negate: false });
        return;
      }
      const one = isPlainObject(item) ? preconditionMap(item) : undefined;
      if (typeof one === 'string') problem(ctx, one, path);
      else if (one) parsed.push(one);
      else
        problem(
          ctx,
          'a precondition must be a command or {condition, expected, negate}',
          path,
        );
    });
    return parsed;
  });

function preconditionMap(item: Record<string, unknown>): Precondition | string {
  const allowed = ['condition', 'command', 'expected', 'negate'];
  const unknown = Object.keys(item).find((k) => !allowed.includes(k));
  if (unknown)
    return `precondition has an unknown key "${unknown}" (allowed: condition, expected, negate)`;

  const condition = item.condition ?? item.command;
  if (typeof condition !== 'string' || condition.trim() === '') {
    return 'a precondition needs a condition';
  }
  if (item.negate !== undefined && typeof item.negate !== 'boolean') {
    return 'precondition negate must be true or false';
  }
  const expected =
    item.expected === undefined ? undefined : scalarText(item.expected);
  if (item.expected !== undefined && expected === undefined) {
    return 'precondition expected must be a string';
  }
  return { condition, expected, negate: item.negate === true };
}

const NO_CONTINUE: ContinueOn = {
  failed: false,
  skipped: false,
  exitCodes: [],
  output: [],
  markSuccess: false,
};

/** `continue_on: failed | skipped`, or a map of conditions. */
export const continueOnForm = z
  .unknown()
  .transform((value, ctx): ContinueOn => {
    if (typeof value === 'string') {
      const word = value.trim().toLowerCase();
      if (word === 'failed' || word === 'failure')
        return { ...NO_CONTINUE, failed: true };
      if (word === 'skipped') return { ...NO_CONTINUE, skipped: true };
      return problem(
        ctx,
        `expected "failed" or "skipped", got ${JSON.stringify(value)}`,
      );
    }
    if (!isPlainObject(value)) {
      return problem(ctx, 'continue_on must be "failed", "skipped" or a map');
    }
    return continueOnMap(value, ctx);
  });

function continueOnMap(value: Record<string, unknown>, ctx: Ctx): ContinueOn {
  const result = { ...NO_CONTINUE };
  for (const [key, raw] of Object.entries(value)) {
    if (
      key === 'failed' ||
      key === 'failure' ||
      key === 'skipped' ||
      key === 'mark_success'
    ) {
      if (typeof raw !== 'boolean')
        problem(ctx, `${key} must be true or false`, [key]);
      else if (key === 'skipped') result.skipped = raw;
      else if (key === 'mark_success') result.markSuccess = raw;
      else result.failed = raw;
    } else if (key === 'exit_code') {
      const codes = (Array.isArray(raw) ? raw : [raw]).map(Number);
      if (codes.some((c) => !Number.isInteger(c))) {
        problem(ctx, 'exit_code must be a number or a list of numbers', [key]);
      } else result.exitCodes = codes;
    } else if (key === 'output') {
      const patterns = Array.isArray(raw) ? raw : [raw];
      if (!patterns.every((p) => typeof p === 'string')) {
        problem(ctx, 'output must be a string or a list of strings', [key]);
      } else result.output = patterns as string[];
    } else {
      problem(
        ctx,
        `unknown key "${key}" (allowed: failed, skipped, exit_code, ` +
          `output, mark_success)${camelHint(key)}`,
        [key],
      );
    }
  }
  return result;
}

/** `retry_policy: {limit, interval_sec, exit_code, backoff, max_interval_sec}` */
export const retryPolicyForm = z
  .strictObject({
    limit: z.number({ error: 'limit must be a number' }).int().min(0),
    interval_sec: seconds('interval_sec'),
    exit_code: z
      .union([z.number().int(), z.array(z.number().int())], {
        error: 'exit_code must be a number or a list of numbers',
      })
      .optional(),
    backoff: z
      .union([z.boolean(), z.number()], {
        error: 'backoff must be true or a number above 1',
      })
      .optional(),
    max_interval_sec: seconds('max_interval_sec').optional(),
  })
  .transform((raw, ctx): RetryPolicy => {
    const backoff =
      raw.backoff === true ? 2 : raw.backoff === false ? 0 : (raw.backoff ?? 0);
    if (backoff !== 0 && backoff <= 1) {
      return problem(
        ctx,
        `backoff must be greater than 1 to grow, got ${backoff}`,
        ['backoff'],
      );
    }
    return {
      limit: raw.limit,
      intervalSec: raw.interval_sec,
      exitCodes: raw.exit_code === undefined ? [] : [raw.exit_code].flat(),
      backoff,
      maxIntervalSec: raw.max_interval_sec ?? 3600,
    };
  });

export function isPlainObject(
  value: unknown,
): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** ` (use continue_on)` for a camelCase key, else nothing. */
export function camelHint(key: string): string {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return snake === key ? '' : `; use snake_case keys (${key} -> ${snake})`;
}
