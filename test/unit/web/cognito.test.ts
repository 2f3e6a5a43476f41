import { describe, expect, it } from 'vitest';
import { authorizeUrl, challengeOf, domainUrl, storedToken } from '../../../web/src/auth/cognito.ts';

const memoryStorage = (): Storage => {
  const items = new Map<string, string>();
  return {
    get length() { return items.size; },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
};

describe('Cognito sign-in (authorization code with PKCE)', () => {
  it('derives the S256 challenge of RFC 7636, appendix B', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('sends the browser to the hosted UI with the client, scopes, a state and the challenge of a verifier it keeps', async () => {
    const storage = memoryStorage();
    const location = { origin: 'https://news.example.org', pathname: '/' } as Location;
    const url = new URL(await authorizeUrl({ type: 'cognito', domain: 'auth.example.org', clientId: 'app-client', region: 'eu-west-1', scopes: ['tracker/read', 'tracker/write'] }, location, storage));

    expect(`${url.origin}${url.pathname}`).toBe('https://auth.example.org/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code', client_id: 'app-client', redirect_uri: 'https://news.example.org/', scope: 'tracker/read tracker/write', code_challenge_method: 'S256',
    });
    const pending = JSON.parse(storage.getItem('tracker.oauth.pending') ?? '{}') as { verifier: string; state: string };
    expect(url.searchParams.get('state')).toBe(pending.state);
    expect(url.searchParams.get('code_challenge')).toBe(await challengeOf(pending.verifier));
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });

  it('keeps an access token only until it expires, and takes a domain given as a URL', () => {
    const storage = memoryStorage();
    storage.setItem('tracker.oauth.token', JSON.stringify({ accessToken: 'token', expiresAt: 2_000 }));
    expect([storedToken(storage, 1_999), storedToken(storage, 2_000)]).toEqual(['token', null]);
    expect(domainUrl('https://auth.example.org/')).toBe('https://auth.example.org');
  });
});
