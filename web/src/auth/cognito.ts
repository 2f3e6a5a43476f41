/**
 * Sign-in through the Cognito hosted UI: OAuth 2.0 authorization code with PKCE (RFC 7636), no
 * client secret. The verifier and state wait in sessionStorage across the redirect; the access
 * token (which carries the scopes the API checks) is kept there until it expires.
 */
import type { AuthConfig } from './config.ts';

type Cognito = Extract<AuthConfig, { type: 'cognito' }>;

const PENDING = 'tracker.oauth.pending';
const TOKEN = 'tracker.oauth.token';

const base64Url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

export const randomVerifier = (): string => base64Url(crypto.getRandomValues(new Uint8Array(48)));

export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(new Uint8Array(digest));
}

/** The hosted UI's origin, whether the config gives a bare domain or a URL. */
export const domainUrl = (domain: string): string => (/^https:\/\//.test(domain) ? domain.replace(/\/$/, '') : `https://${domain}`);

export const redirectUri = (location: Location): string => `${location.origin}${location.pathname}`;

export async function authorizeUrl(auth: Cognito, location: Location, storage: Storage): Promise<string> {
  const verifier = randomVerifier();
  const state = randomVerifier();
  storage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: redirectUri(location),
    scope: auth.scopes.join(' '),
    state,
    code_challenge_method: 'S256',
    code_challenge: await challengeOf(verifier),
  });
  return `${domainUrl(auth.domain)}/oauth2/authorize?${params.toString()}`;
}

interface StoredToken {
  accessToken: string;
  expiresAt: number;
}

export const storedToken = (storage: Storage, now: number): string | null => {
  const raw = storage.getItem(TOKEN);
  if (raw === null) return null;
  const token = JSON.parse(raw) as StoredToken;
  return token.expiresAt > now ? token.accessToken : null;
};

/** After the redirect back: trades `?code=` for tokens (checking `state`), then cleans the URL. */
export async function completeSignIn(auth: Cognito, location: Location, history: History, storage: Storage): Promise<string | null> {
  const query = new URLSearchParams(location.search);
  const code = query.get('code');
  if (code === null) return storedToken(storage, Date.now());
  const pending = JSON.parse(storage.getItem(PENDING) ?? 'null') as { verifier: string; state: string } | null;
  storage.removeItem(PENDING);
  history.replaceState(history.state, '', location.pathname);
  if (pending === null || pending.state !== query.get('state')) throw new Error('sign-in: the answer does not match the request made (state)');
  const response = await fetch(`${domainUrl(auth.domain)}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code,
      redirect_uri: redirectUri(location),
      code_verifier: pending.verifier,
    }),
  });
  if (!response.ok) throw new Error(`sign-in: the token endpoint answered ${response.status}`);
  const body = (await response.json()) as { access_token: string; expires_in: number };
  storage.setItem(TOKEN, JSON.stringify({ accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 }));
  return body.access_token;
}

export const signOutUrl = (auth: Cognito, location: Location): string =>
  `${domainUrl(auth.domain)}/logout?${new URLSearchParams({ client_id: auth.clientId, logout_uri: redirectUri(location) }).toString()}`;

export const forgetToken = (storage: Storage): void => storage.removeItem(TOKEN);
