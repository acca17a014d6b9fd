import { ProfileDetail } from './components/profile-detail.js';
import { ProfileList } from './components/profile-list.js';
import { useProfiles } from './profiles-store.js';

export function App() {
  const error = useProfiles((s) => s.error);
  const notice = useProfiles((s) => s.notice);
  return (
    <div className="app">
      <ProfileList />
      <main className="detail">
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {notice && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <ProfileDetail />
      </main>
    </div>
  );
}
