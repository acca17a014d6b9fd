import { ensurePrivateDir } from './home.js';
import { ProfileService } from './profiles/service.js';
import { recoverInterrupted } from './runs/recovery.js';
import type { KeySources } from './secrets/key-sources.js';
import { SecretRegistry } from './secrets/registry.js';
import { Vault } from './secrets/vault.js';
import { TokenStore } from './tokens/token-store.js';
import { type Db, databasePath, openDatabase } from './store/database.js';

/** The Electron-free core that the app, the CLI and REST share. */
export interface Core {
  home: string;
  db: Db;
  vault: Vault;
  profiles: ProfileService;
  registry: SecretRegistry;
  tokens: TokenStore;
  close(): void;
}

export function openCore(home: string, keys: KeySources): Core {
  ensurePrivateDir(home);
  const db = openDatabase(databasePath(home));
  // Runs whose process died are marked failed before anyone reads them.
  recoverInterrupted(db);
  const vault = new Vault(db, keys);
  return {
    home,
    db,
    vault,
    profiles: new ProfileService(db, vault),
    registry: new SecretRegistry(db, vault),
    tokens: new TokenStore(db),
    close: () => db.close(),
  };
}
