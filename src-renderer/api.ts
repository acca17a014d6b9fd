import type { DagdeskApi } from '../src-shared/contract.js';
import type { Result } from '../src-shared/errors.js';

declare global {
  interface Window {
    /** Exposed by the preload bridge; exactly the contract. */
    dagdesk: DagdeskApi;
  }
}

export function api(): DagdeskApi {
  return window.dagdesk;
}

/** The value of a Result, or its error as a thrown `ApiError`. */
export async function unwrap<T>(result: Promise<Result<T>>): Promise<T> {
  const settled = await result;
  if (settled.ok) return settled.value;
  throw new ApiError(settled.error.code, settled.error.message);
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
