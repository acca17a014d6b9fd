import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { type ApiMethod, CHANNELS } from '../../src-shared/contract.js';
import { desktopActor } from './desktop-actor.js';
import type { Core } from '../core.js';
import { createApiHandlers, dispatch } from '../ipc/handlers.js';

/**
 * Registers one handler per contract method. Only the app's own window
 * may call; its arguments are untrusted and parsed inside `dispatch`.
 */
export function registerApi(core: Core, window: WebContents): void {
  const handlers = createApiHandlers(core, desktopActor());
  for (const method of Object.keys(CHANNELS) as ApiMethod[]) {
    ipcMain.handle(CHANNELS[method], (event, ...args: unknown[]) => {
      assertOwnWindow(event, window);
      return dispatch(handlers, method, args);
    });
  }
}

function assertOwnWindow(event: IpcMainInvokeEvent, window: WebContents): void {
  const fromMainFrame = event.senderFrame === window.mainFrame;
  if (event.sender !== window || !fromMainFrame) {
    throw new Error(`IPC refused: the caller is not the Dagdesk window`);
  }
}
