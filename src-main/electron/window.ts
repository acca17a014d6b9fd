import { BrowserWindow, shell } from 'electron';
import { join } from 'node:path';

/**
 * The one window, locked down: isolated, sandboxed, no Node, no navigation
 * away from the app and no new windows (links open in the browser).
 */
export function openMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    title: 'Dagdesk',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });

  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });

  const devServer = process.env.ELECTRON_RENDERER_URL;
  if (devServer) void window.loadURL(devServer);
  else
    void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return window;
}
