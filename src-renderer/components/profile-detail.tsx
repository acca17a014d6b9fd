import {
  deleteEntry,
  deleteProfile,
  setStatus,
  useProfiles,
} from '../profiles-store.js';
import { EntryForm } from './entry-form.js';

/** One profile: its entries (secrets as versions only) and its actions. */
export function ProfileDetail() {
  const profile = useProfiles((s) =>
    s.profiles.find((p) => p.name === s.selected),
  );
  if (!profile) return <p className="empty">Select or create a profile.</p>;
  const disabled = profile.status === 'disabled';

  return (
    <section aria-label={`Profile ${profile.name}`}>
      <header>
        <h2>{profile.name}</h2>
        <p>{profile.description}</p>
        <button
          onClick={() =>
            setStatus(profile.name, disabled ? 'active' : 'disabled')
          }
        >
          {disabled ? 'Enable' : 'Disable'}
        </button>
        <button className="danger" onClick={() => deleteProfile(profile.name)}>
          Delete profile
        </button>
      </header>
      <table>
        <thead>
          <tr>
            <th>Key</th>
            <th>Kind</th>
            <th>Value</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {profile.entries.map((entry) => (
            <tr key={entry.key}>
              <td>{entry.key}</td>
              <td>{entry.kind}</td>
              <td>
                {entry.kind === 'secret'
                  ? `•••••••• (version ${entry.version})`
                  : entry.value}
              </td>
              <td>
                <button onClick={() => deleteEntry(profile.name, entry.key)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <EntryForm profile={profile.name} />
    </section>
  );
}
