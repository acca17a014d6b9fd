import { contextBridge, ipcRenderer } from 'electron';
import {
  type ApiMethod,
  CHANNELS,
  type DagdeskApi,
} from '../src-shared/contract.js';

// Exactly the contract's methods, each bound to its own channel: the page
// gets named functions, never a way to invoke an arbitrary channel.
const api = Object.fromEntries(
  (Object.keys(CHANNELS) as ApiMethod[]).map((method) => [
    method,
    (...args: unknown[]) => ipcRenderer.invoke(CHANNELS[method], ...args),
  ]),
) as unknown as DagdeskApi;

contextBridge.exposeInMainWorld('dagdesk', api);
