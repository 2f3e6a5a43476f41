/**
 * `config.json`, served beside the app by whoever hosts it: where the API is and how to sign in.
 * Locally `{ "apiUrl": "", "auth": { "type": "api-key" } }`; in AWS the Cognito hosted UI.
 */
export type AuthConfig =
  | { type: 'api-key' }
  | { type: 'cognito'; domain: string; clientId: string; region: string; scopes: string[] };

export interface AppConfig {
  apiUrl: string;
  auth: AuthConfig;
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Reads a config answer, naming the field that is wrong rather than failing later on it. */
export const readConfig = (raw: unknown): AppConfig => {
  if (raw === null || typeof raw !== 'object') throw new Error('config.json: must be an object');
  const { apiUrl, auth } = raw as { apiUrl?: unknown; auth?: unknown };
  if (!isString(apiUrl) || (apiUrl !== '' && !/^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(apiUrl))) {
    throw new Error('config.json: apiUrl must be "" (this origin) or an https URL');
  }
  if (auth === null || typeof auth !== 'object') throw new Error('config.json: auth must be an object');
  const { type, domain, clientId, region, scopes } = auth as Record<string, unknown>;
  if (type === 'api-key') return { apiUrl: apiUrl.replace(/\/$/, ''), auth: { type } };
  if (type !== 'cognito') throw new Error('config.json: auth.type must be "api-key" or "cognito"');
  if (!isString(domain) || domain === '') throw new Error('config.json: auth.domain must be the Cognito domain');
  if (!isString(clientId) || clientId === '') throw new Error('config.json: auth.clientId must be the app client id');
  if (!isString(region)) throw new Error('config.json: auth.region must be a string');
  if (!Array.isArray(scopes) || !scopes.every(isString)) throw new Error('config.json: auth.scopes must be a list of scope names');
  return { apiUrl: apiUrl.replace(/\/$/, ''), auth: { type, domain, clientId, region, scopes } };
};

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<AppConfig> {
  const response = await fetcher('config.json', { headers: { accept: 'application/json' }, credentials: 'omit' });
  if (!response.ok) throw new Error(`config.json: the server answered ${response.status}`);
  return readConfig(await response.json());
}
