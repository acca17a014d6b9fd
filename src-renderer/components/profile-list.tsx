import { type FormEvent, useState } from 'react';
import {
  createProfile,
  selectProfile,
  useProfiles,
} from '../profiles-store.js';

/** The profiles, and a form to add one. */
export function ProfileList() {
  const profiles = useProfiles((s) => s.profiles);
  const selected = useProfiles((s) => s.selected);
  const [name, setName] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await createProfile(name.trim(), '')) setName('');
  };

  return (
    <nav className="profiles" aria-label="Profiles">
      <h1>Profiles</h1>
      <ul>
        {profiles.map((p) => (
          <li key={p.id}>
            <button
              aria-current={p.name === selected}
              onClick={() => selectProfile(p.name)}
            >
              {p.name}
              {p.status === 'disabled' && <span className="tag">disabled</span>}
              {p.protected && <span className="tag">protected</span>}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit}>
        <label>
          New profile
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="prod"
          />
        </label>
        <button type="submit" disabled={name.trim() === ''}>
          Create
        </button>
      </form>
    </nav>
  );
}
