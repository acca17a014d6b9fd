import { type ServerType, serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Core } from '../core.js';
import { badRequest } from '../errors.js';
import { startQueueWorker } from '../runs/queue-worker.js';
import { loadQueueLimits } from '../home-config.js';
import type { RunEngine } from '../runs/run-engine.js';
import { createApi } from './app.js';

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

export interface ApiServer {
  url: string;
  port: number;
  /** Stops listening, stops the runs it started, waits for them. */
  close(): Promise<void>;
}

/**
 * Serves the REST API on a loopback address only, and works the queue
 * while it runs. Port 0 picks a free port.
 */
export async function startApiServer(
  core: Core,
  engine: RunEngine,
  options: { host: string; port: number; dagsDir: string },
): Promise<ApiServer> {
  if (!LOOPBACK_HOSTS.includes(options.host)) {
    throw badRequest(
      `--host must be a loopback address (${LOOPBACK_HOSTS.join(', ')}): ` +
        'the API is for this machine only',
    );
  }
  const background = new Set<Promise<unknown>>();
  const app = createApi({ core, engine, dagsDir: options.dagsDir, background });
  const server = await listen(app.fetch, options.host, options.port);
  const worker = startQueueWorker(engine, loadQueueLimits(core.home));
  const { port } = server.address() as AddressInfo;
  const shown = options.host === '::1' ? '[::1]' : options.host;
  return {
    url: `http://${shown}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await worker.stop();
      engine.stopAll();
      await Promise.all(background);
    },
  };
}

function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  hostname: string,
  port: number,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? badRequest(
              `port ${port} is in use on ${hostname}: ` +
                'pick another with --port, or 0 for any free one',
            )
          : error,
      ),
    );
  });
}
