import { app, safeStorage } from 'electron';
import { runCli } from '../cli/program.js';
import { processIo } from '../cli/io.js';
import { APP_NAME } from '../app-identity.js';
import { type ApiServer, startApiServer } from '../api/server.js';
import { type Core, openCore } from '../core.js';
import { dagsDir } from '../dags/dag-files.js';
import { loadHomeConfig } from '../home-config.js';
import { engineForCore } from '../core-engine.js';
import { desktopActor } from './desktop-actor.js';
import { resolveHome } from '../home.js';
import { keySourcesFromEnv } from '../secrets/key-sources.js';
import { registerApi } from './ipc.js';
import { openMainWindow } from './window.js';

app.setName(APP_NAME);
const cliArgs = process.argv.slice(app.isPackaged ? 1 : 2);

// `dagdesk <command>` is the same binary in CLI mode: no window, same store,
// and Electron's own safeStorage for the OS key slot.
if (isCliInvocation(cliArgs)) {
  void app.whenReady().then(async () => {
    const code = await runCli(cliArgs, processIo(), safeStorage);
    app.exit(code);
  });
} else {
  void app.whenReady().then(startDesktop);
  app.on('window-all-closed', () => app.quit());
}

function startDesktop(): void {
  const keys = { ...keySourcesFromEnv(process.env), os: safeStorage };
  const core = openCore(resolveHome(process.env), keys);
  const window = openMainWindow();
  registerApi(core, window.webContents);
  const server = serveIfConfigured(core);
  app.on('will-quit', () => {
    void server.then((s) => s?.close()).finally(() => core.close());
  });
}

/** `server: {enabled: true}` in `<home>/config.yaml`: the window serves the REST API too. */
async function serveIfConfigured(core: Core): Promise<ApiServer | undefined> {
  const setting = loadHomeConfig(core.home).server;
  if (!setting?.enabled) return undefined;
  const engine = engineForCore(core, process.env, desktopActor());
  return startApiServer(core, engine, {
    host: '127.0.0.1',
    port: setting.port,
    dagsDir: dagsDir(core.home, process.env),
  });
}

// A command name first, or a flag only the CLI knows. Chromium's own
// switches (`--no-sandbox`, ...) still start the window.
function isCliInvocation(args: string[]): boolean {
  const first = args[0];
  if (first !== undefined && !first.startsWith('-')) return true;
  return args.some((arg) => ['--version', '-V', '--help', '-h'].includes(arg));
}
