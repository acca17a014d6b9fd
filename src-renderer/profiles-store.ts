import { create } from 'zustand';
import type { ProfileStatus, Profile } from '../src-shared/profile.js';
import { api, unwrap } from './api.js';

/**
 * What the window knows of profiles. Secret values are never here: they
 * pass from an input straight to main, which answers with versions only.
 */
interface ProfilesState {
  profiles: Profile[];
  selected: string | undefined;
  error: string | undefined;
  notice: string | undefined;
}

const initialState: ProfilesState = {
  profiles: [],
  selected: undefined,
  error: undefined,
  notice: undefined,
};

export const useProfiles = create<ProfilesState>()(() => initialState);

export function resetProfiles(): void {
  useProfiles.setState(initialState, true);
}

export function selectProfile(name: string | undefined): void {
  useProfiles.setState({ selected: name, error: undefined, notice: undefined });
}

export const loadProfiles = () =>
  attempt(async () => {
    const profiles = await unwrap(api().listProfiles());
    useProfiles.setState({ profiles });
  });

export const createProfile = (name: string, description: string) =>
  attempt(async () => {
    const created = await unwrap(api().createProfile({ name, description }));
    replace(created);
    selectProfile(created.name);
  });

export const setStatus = (name: string, status: ProfileStatus) =>
  attempt(async () =>
    replace(await unwrap(api().updateProfile(name, { status }))),
  );

export const setVariable = (name: string, key: string, value: string) =>
  attempt(async () =>
    replace(await unwrap(api().setVariable(name, key, value))),
  );

export const setSecret = (name: string, key: string, value: string) =>
  attempt(async () => {
    const outcome = await unwrap(api().setSecret(name, key, value));
    replace(outcome.profile);
    if (outcome.warning) useProfiles.setState({ notice: outcome.warning });
  });

export const deleteEntry = (name: string, key: string) =>
  attempt(async () => replace(await unwrap(api().deleteEntry(name, key))));

export const deleteProfile = (name: string) =>
  attempt(async () => {
    await unwrap(api().deleteProfile(name));
    useProfiles.setState((s) => ({
      profiles: s.profiles.filter((p) => p.name !== name),
      selected: undefined,
    }));
  });

function replace(profile: Profile): void {
  useProfiles.setState((s) => ({
    profiles: [...s.profiles.filter((p) => p.id !== profile.id), profile].sort(
      (a, b) => a.name.localeCompare(b.name),
    ),
  }));
}

/** Runs an action; an expected failure becomes the message shown. */
async function attempt(action: () => Promise<void>): Promise<boolean> {
  useProfiles.setState({ error: undefined, notice: undefined });
  try {
    await action();
    return true;
  } catch (error) {
    useProfiles.setState({ error: (error as Error).message });
    return false;
  }
}
