import type { Context } from 'hono';
import type { z } from 'zod';
import { firstProblem } from '../../src-shared/profile-rules.js';
import { apiBadRequest } from './api-error.js';

/** The request's JSON body, parsed by `schema`; 400 with the reason if not. */
export async function jsonBody<T>(
  c: Context,
  schema: z.ZodType<T>,
): Promise<T> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw apiBadRequest(
      `the request body is not valid JSON: ${(error as Error).message}`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw apiBadRequest(`invalid request body: ${firstProblem(parsed.error)}`);
  return parsed.data;
}
