import { type FormEvent, useState } from 'react';
import type { EntryKind } from '../../src-shared/profile.js';
import { setSecret, setVariable } from '../profiles-store.js';

/**
 * Sets a variable or a secret. A secret's value lives only in this input
 * until it is sent, then the input is cleared.
 */
export function EntryForm({ profile }: { profile: string }) {
  const [kind, setKind] = useState<EntryKind>('variable');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const save = kind === 'secret' ? setSecret : setVariable;
    const saved = await save(profile, key, value);
    if (kind === 'secret' || saved) setValue('');
    if (saved) setKey('');
  };

  return (
    <form className="entry-form" onSubmit={submit} aria-label="Set entry">
      <select
        value={kind}
        onChange={(e) => setKind(e.target.value as EntryKind)}
      >
        <option value="variable">variable</option>
        <option value="secret">secret</option>
      </select>
      <input
        aria-label="Key"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        placeholder="KEY"
      />
      <input
        aria-label="Value"
        type={kind === 'secret' ? 'password' : 'text'}
        autoComplete="off"
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <button type="submit">Set</button>
    </form>
  );
}
