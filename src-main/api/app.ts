import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Core } from '../core.js';
import { DagdeskError } from '../errors.js';
import type { RunEngine } from '../runs/run-engine.js';
import { ApiError, STATUS_OF } from './api-error.js';
import { dagRoutes } from './dag-routes.js';
import { type ApiEnv, bearerToken, loopbackHostOnly } from './guards.js';
import { profileRoutes } from './profile-routes.js';
import { runRoutes } from './run-routes.js';

/** Request bodies larger than this are refused: a DAG spec fits easily. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiOptions {
  core: Core;
  engine: RunEngine;
  dagsDir: string;
  background: Set<Promise<unknown>>;
}

/**
 * Dagu's REST API under `/api/v1`, for loopback callers with a token.
 * Every failure answers `{code, message}`; nothing unexpected leaks more.
 */
export function createApi(options: ApiOptions): Hono<ApiEnv> {
  const { core, engine } = options;
  const app = new Hono<ApiEnv>();
  app.use('*', loopbackHostOnly());
  app.use('/api/*', bearerToken(core.tokens));
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) =>
        c.json(
          {
            code: 'bad_request',
            message: `the request body is larger than ${MAX_BODY_BYTES} bytes`,
          },
          413,
        ),
    }),
  );

  const v1 = new Hono<ApiEnv>();
  v1.route('/profiles', profileRoutes(core.profiles));
  v1.route('/dags', dagRoutes(core.db, options.dagsDir));
  v1.route(
    '/',
    runRoutes({
      engine,
      profiles: core.profiles,
      home: core.home,
      dagsDir: options.dagsDir,
      background: options.background,
    }),
  );
  app.route('/api/v1', v1);

  app.notFound((c) =>
    c.json(
      {
        code: 'not_found',
        message: `no such endpoint: ${c.req.method} ${c.req.path}`,
      },
      404,
    ),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.toBody(), error.status);
    if (error instanceof DagdeskError)
      return c.json(error.toBody(), STATUS_OF[error.code]);
    // A bug: say so, without its message (it could hold anything).
    console.error(
      `internal error (${error.name})\n${error.stack?.split('\n').slice(1).join('\n') ?? ''}`,
    );
    return c.json(
      { code: 'internal_error', message: 'An unexpected error occurred' },
      500,
    );
  });
  return app;
}
