import type { MiddlewareHandler } from 'hono';
import type { Actor } from '../../src-shared/roles.js';
import type { TokenStore } from '../tokens/token-store.js';
import { ApiError } from './api-error.js';

export interface ApiEnv {
  Variables: { actor: Actor };
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The host part of a Host header: `localhost:8080` is `localhost`. */
function hostName(header: string): string {
  if (header.startsWith('[')) return header.slice(0, header.indexOf(']') + 1);
  return header.split(':')[0]!.toLowerCase();
}

/**
 * Only requests addressed to a loopback name are served: a web page that
 * rebinds its own domain to 127.0.0.1 still sends its domain as Host.
 */
export function loopbackHostOnly(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const host = c.req.header('host') ?? '';
    if (!LOOPBACK_NAMES.has(hostName(host))) {
      throw new ApiError(
        'forbidden',
        `requests must be addressed to localhost, 127.0.0.1 or [::1], not ${JSON.stringify(host)}`,
      );
    }
    await next();
  };
}

/** `Authorization: Bearer <token>`; the token's role is the actor's. */
export function bearerToken(tokens: TokenStore): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    const actor = match ? tokens.authenticate(match[1]!) : undefined;
    if (!actor) {
      c.header('WWW-Authenticate', 'Bearer realm="dagdesk"');
      throw new ApiError(
        'unauthorized',
        match
          ? 'unknown or revoked API token'
          : 'an API token is required: send Authorization: Bearer <token> ' +
              '(make one with dagdesk token create)',
      );
    }
    c.set('actor', actor);
    await next();
  };
}
