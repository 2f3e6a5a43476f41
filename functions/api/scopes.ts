/**
 * The kinds of access a caller is granted; a stage's config names the JWT scope of each
 * (`apiAuth.scopes`). The quarantine holds what publishers sent, byte for byte and possibly
 * hostile: it is for the editors who triage it, not for every tool that reads positions. `write`
 * is the desk's (functions/api/desk-routes.ts): recording statements, corrections and registry records.
 *
 * A module of its own so that the desk API and the token trigger, which need the names, do not
 * load the read API's route table and schemas with them (routes.ts re-exports these).
 */
export const API_SCOPES = ['read', 'quarantine', 'write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
