/**
 * The API's kinds of access (`read`, `quarantine`, `write`) and the JWT scopes a stage names them
 * by (`tracker/read`, …): read back from a token's `scope` claim for the desk API's caller, and
 * granted per Cognito group by the pre-token-generation trigger (editors: all three; readers:
 * `read`). Pure.
 */
import * as z from '../../events/zod.ts';
import { ROLE_SCOPES, callerWith, type Caller, type Role } from './auth.ts';
import { API_SCOPES, type ApiScope } from './scopes.ts';

export type ScopeNames = Readonly<Record<ApiScope, string>>;

/** The Cognito groups and the role each stands for. */
export const GROUP_ROLES: Readonly<Record<string, Role>> = { editors: 'editor', readers: 'reader' };

const scopeNames = z.object({ read: z.string(), quarantine: z.string(), write: z.string() });

/** The stage's scope names from their JSON (ENV.apiScopes); throws naming what is wrong. */
export const parseScopeNames = (json: string): ScopeNames => {
  const parsed = scopeNames.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`the API scope names must be {"read", "quarantine", "write"} strings: ${parsed.error.message}`);
  return parsed.data;
};

/** The caller a token's scopes make (space-separated, as the `scope` claim, or a list). */
export const callerFromScopes = (granted: string | readonly string[] | undefined, names: ScopeNames): Caller => {
  const held = new Set(typeof granted === 'string' ? granted.split(' ') : (granted ?? []));
  return callerWith(API_SCOPES.filter((scope) => held.has(names[scope])));
};

/** The token scopes a user's groups grant, and those of the tracker it must not carry (sorted). */
export const scopesForGroups = (groups: readonly string[], names: ScopeNames): { grant: string[]; withhold: string[] } => {
  const kinds = new Set(groups.flatMap((group) => {
    const role = GROUP_ROLES[group];
    return role === undefined ? [] : ROLE_SCOPES[role];
  }));
  const grant = API_SCOPES.filter((scope) => kinds.has(scope)).map((scope) => names[scope]).sort();
  const withhold = API_SCOPES.filter((scope) => !kinds.has(scope)).map((scope) => names[scope]).sort();
  return { grant, withhold };
};
