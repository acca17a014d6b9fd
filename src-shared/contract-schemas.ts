import { z } from 'zod';
import type { ApiMethod } from './contract.js';
import { PROFILE_STATUSES } from './profile.js';

/**
 * Argument schemas for every IPC method. The renderer is untrusted, so main
 * parses each call's arguments with these before anything else runs.
 */
const name = z.string();
const key = z.string();
const value = z.string();

export const API_ARGS: { readonly [M in ApiMethod]: z.ZodType<unknown[]> } = {
  listProfiles: z.tuple([]),
  getProfile: z.tuple([name]),
  createProfile: z.tuple([
    z.strictObject({
      name,
      description: z.string().optional(),
      protected: z.boolean().optional(),
    }),
  ]),
  updateProfile: z.tuple([
    name,
    z.strictObject({
      description: z.string().optional(),
      status: z.enum(PROFILE_STATUSES).optional(),
      protected: z.boolean().optional(),
    }),
  ]),
  deleteProfile: z.tuple([name]),
  setVariable: z.tuple([name, key, value]),
  setSecret: z.tuple([name, key, value]),
  deleteEntry: z.tuple([name, key]),
  listKeySlots: z.tuple([]),
};
