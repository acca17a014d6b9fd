import type { Result } from './errors.js';
import type { Profile, ProfileStatus } from './profile.js';

/**
 * The one contract between renderer and main, written once. The preload
 * bridge, the main-side handlers and the renderer client are all typed
 * from it; a channel exists only if it is named here.
 */

export interface NewProfileInput {
  name: string;
  description?: string;
  protected?: boolean;
}

export interface ProfileChangeInput {
  description?: string;
  status?: ProfileStatus;
  protected?: boolean;
}

export interface SetSecretOutcome {
  profile: Profile;
  warning?: string;
}

/** Key slots as the window may see them: no key material. */
export interface KeySlotView {
  kind: 'os' | 'recovery' | 'env';
  backend: string;
  createdAt: string;
}

export interface DagdeskApi {
  listProfiles(): Promise<Result<Profile[]>>;
  getProfile(name: string): Promise<Result<Profile>>;
  createProfile(input: NewProfileInput): Promise<Result<Profile>>;
  updateProfile(
    name: string,
    change: ProfileChangeInput,
  ): Promise<Result<Profile>>;
  deleteProfile(name: string): Promise<Result<null>>;
  setVariable(
    name: string,
    key: string,
    value: string,
  ): Promise<Result<Profile>>;
  /** The value goes one way: main never sends a secret back. */
  setSecret(
    name: string,
    key: string,
    value: string,
  ): Promise<Result<SetSecretOutcome>>;
  deleteEntry(name: string, key: string): Promise<Result<Profile>>;
  listKeySlots(): Promise<Result<KeySlotView[]>>;
}

export type ApiMethod = keyof DagdeskApi;

/** The IPC channel of each method. */
export const CHANNELS: { readonly [M in ApiMethod]: `dagdesk:${string}` } = {
  listProfiles: 'dagdesk:profiles:list',
  getProfile: 'dagdesk:profiles:get',
  createProfile: 'dagdesk:profiles:create',
  updateProfile: 'dagdesk:profiles:update',
  deleteProfile: 'dagdesk:profiles:delete',
  setVariable: 'dagdesk:profiles:set-variable',
  setSecret: 'dagdesk:profiles:set-secret',
  deleteEntry: 'dagdesk:profiles:delete-entry',
  listKeySlots: 'dagdesk:key-slots:list',
};

export type ApiArgs<M extends ApiMethod> = Parameters<DagdeskApi[M]>;
export type ApiValue<M extends ApiMethod> =
  Awaited<ReturnType<DagdeskApi[M]>> extends Result<infer T> ? T : never;
