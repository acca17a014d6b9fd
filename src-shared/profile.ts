/** Domain types of runtime profiles, shared by main, preload and renderer. */

export const ENTRY_KINDS = ['variable', 'secret'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

export const PROFILE_STATUSES = ['active', 'disabled'] as const;
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];

interface EntryBase {
  key: string;
  createdAt: string;
  updatedAt: string;
}

/** A plain-text entry; its value is shown and injected as is. */
export interface VariableEntry extends EntryBase {
  kind: 'variable';
  value: string;
}

/** A write-only entry: only its identity and version ever leave the core. */
export interface SecretEntry extends EntryBase {
  kind: 'secret';
  secretId: string;
  version: number;
}

export type ProfileEntry = VariableEntry | SecretEntry;

export interface Profile {
  id: string;
  name: string;
  description: string;
  status: ProfileStatus;
  protected: boolean;
  createdAt: string;
  updatedAt: string;
  /** Sorted by key. */
  entries: ProfileEntry[];
}
