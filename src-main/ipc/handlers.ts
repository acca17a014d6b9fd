import type {
  ApiArgs,
  ApiMethod,
  ApiValue,
} from '../../src-shared/contract.js';
import { API_ARGS } from '../../src-shared/contract-schemas.js';
import type { Result } from '../../src-shared/errors.js';
import { firstProblem } from '../../src-shared/profile-rules.js';
import type { Actor } from '../../src-shared/roles.js';
import type { Core } from '../core.js';
import { DagdeskError } from '../errors.js';

export type ApiHandlers = {
  [M in ApiMethod]: (...args: ApiArgs<M>) => ApiValue<M>;
};

/** The main-side implementation of the contract, acting as `actor`. */
export function createApiHandlers(core: Core, actor: Actor): ApiHandlers {
  const { profiles, vault } = core;
  return {
    listProfiles: () => profiles.list(actor),
    getProfile: (name) => profiles.get(actor, name),
    createProfile: (input) => profiles.create(actor, input),
    updateProfile: (name, change) => profiles.update(actor, name, change),
    deleteProfile: (name) => {
      profiles.delete(actor, name);
      return null;
    },
    setVariable: (name, key, value) =>
      profiles.setVariable(actor, name, key, value),
    setSecret: (name, key, value) =>
      profiles.setSecret(actor, name, key, value),
    deleteEntry: (name, key) => profiles.deleteEntry(actor, name, key),
    listKeySlots: () => vault.slots(),
  };
}

/**
 * Runs one call from the renderer: arguments are parsed first, expected
 * failures come back as data with their code, bugs still throw.
 */
export function dispatch<M extends ApiMethod>(
  handlers: ApiHandlers,
  method: M,
  rawArgs: unknown[],
): Result<ApiValue<M>> {
  const parsed = API_ARGS[method].safeParse(rawArgs);
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'bad_request', message: firstProblem(parsed.error) },
    };
  }
  try {
    const handler = handlers[method] as (...args: unknown[]) => ApiValue<M>;
    return { ok: true, value: handler(...parsed.data) };
  } catch (error) {
    if (error instanceof DagdeskError)
      return { ok: false, error: error.toBody() };
    throw error;
  }
}
