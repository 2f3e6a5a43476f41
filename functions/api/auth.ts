/**
 * API-key authentication, for where no API Gateway authorizer stands in front of the read API (the
 * local runtime). In AWS the authorizer decides on every route before the function runs; locally the
 * server calls `authenticate` on every request, read API and admin alike, so both behave the same:
 * no credentials, no answer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.ts';
import type { ApiScope } from './routes.ts';

/** The headers a key may come in, as the README and the OpenAPI document name them. */
export const API_KEY_HEADERS = 'Authorization: Bearer <key> or x-api-key: <key>';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compared through fixed-length digests, so that neither the length nor the content of the key
 * changes the time taken (timingSafeEqual itself only takes buffers of equal length).
 */
export const sameKey = (given: string, expected: string): boolean => timingSafeEqual(digest(given), digest(expected));

/** The key a request presents: a bearer token, else the x-api-key header. Header names lower-case. */
export const presentedKey = (headers: Readonly<Record<string, string | undefined>>): string | undefined => {
  const authorization = headers['authorization'];
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1];
  return bearer ?? headers['x-api-key'];
};

/** Undefined when the request presents `apiKey`, else the 401 to answer with. Header names lower-case. */
export const authenticate = (headers: Readonly<Record<string, string | undefined>>, apiKey: string): HttpError | undefined => {
  const given = presentedKey(headers);
  if (given !== undefined && sameKey(given, apiKey)) return undefined;
  return new HttpError('Unauthorized', `missing or wrong API key: send ${API_KEY_HEADERS}`, undefined, {
    'www-authenticate': 'Bearer realm="position-tracker"',
  });
};

/** Who is calling, as far as the API cares: a role and the scopes it holds. */
export type Role = 'editor' | 'reader';

export interface Caller {
  role: Role;
  scopes: readonly ApiScope[];
}

/** Editors record and triage; readers read positions. The roles' scopes, locally and in the Cognito groups. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly ApiScope[]>> = { editor: ['read', 'quarantine', 'write'], reader: ['read'] };

export const callerWith = (scopes: readonly ApiScope[]): Caller => ({ role: scopes.includes('write') ? 'editor' : 'reader', scopes });

/** The local runtime's keys: the editor's (the API key) and, optionally, a reader's. */
export interface ApiKeys {
  editor: string;
  reader?: string | undefined;
}

/** The caller the request's key names, or the 401 to answer with. Header names lower-case. */
export const identify = (headers: Readonly<Record<string, string | undefined>>, keys: ApiKeys): Caller | HttpError => {
  const refused = authenticate(headers, keys.editor);
  if (refused === undefined) return { role: 'editor', scopes: ROLE_SCOPES.editor };
  const given = presentedKey(headers);
  if (keys.reader !== undefined && given !== undefined && sameKey(given, keys.reader)) return { role: 'reader', scopes: ROLE_SCOPES.reader };
  return refused;
};

/** The 403 for a known caller without the route's scope. */
export const forbidden = (caller: Caller, scope: ApiScope): HttpError =>
  new HttpError('Forbidden', `this route needs the '${scope}' scope; the ${caller.role} role has ${caller.scopes.map((s) => `'${s}'`).join(', ') || 'none'}`);
