/**
 * API-key authentication, as the local server applies it to every request: a bearer token or
 * x-api-key, compared without revealing the key through the time taken.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { authenticate, presentedKey, sameKey } from '../../../functions/api/auth.ts';

const KEY = 'local-7f3a9c2e';

describe('the API key', () => {
  it('is taken as a bearer token (any case of Bearer, spaces trimmed) or from x-api-key', () => {
    expect(presentedKey({ authorization: `Bearer ${KEY}` })).toBe(KEY);
    expect(presentedKey({ authorization: `  bearer   ${KEY}  ` })).toBe(KEY);
    expect(presentedKey({ 'x-api-key': KEY })).toBe(KEY);
    expect(presentedKey({ authorization: `Bearer ${KEY}`, 'x-api-key': 'other' })).toBe(KEY);
    expect(presentedKey({ authorization: `Basic ${KEY}`, 'x-api-key': 'other' })).toBe('other');
    expect(presentedKey({ authorization: `Basic ${KEY}` })).toBeUndefined();
    expect(presentedKey({})).toBeUndefined();
  });

  it('lets a request with the right key through, either way it is sent', () => {
    expect(authenticate({ authorization: `Bearer ${KEY}` }, KEY)).toBeUndefined();
    expect(authenticate({ 'x-api-key': KEY }, KEY)).toBeUndefined();
  });

  it.each([
    ['no credentials', {}],
    ['an empty x-api-key', { 'x-api-key': '' }],
    ['a bearer token that is not the key', { authorization: 'Bearer wrong' }],
    ['the key with a character more', { 'x-api-key': `${KEY}x` }],
    ['a prefix of the key', { 'x-api-key': KEY.slice(0, -1) }],
    ['the key in another case', { 'x-api-key': KEY.toUpperCase() }],
    ['the key under another scheme', { authorization: `Basic ${KEY}` }],
  ])('answers 401 with a challenge for %s', (_case, headers: Record<string, string>) => {
    // Act
    const refused = authenticate(headers, KEY);

    // Assess
    expect(refused?.statusCode).toBe(401);
    expect(refused?.code).toBe('Unauthorized');
    expect(refused?.headers).toEqual({ 'www-authenticate': 'Bearer realm="position-tracker"' });
    expect(refused?.message).toContain('Authorization: Bearer <key> or x-api-key: <key>');
  });

  it('compares keys of any length and content without throwing, equal only when byte for byte the same', () => {
    // timingSafeEqual throws on buffers of unequal length: comparing digests is what keeps the
    // length of the key, too, out of the time taken.
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (given, expected) => {
        expect(sameKey(given, expected)).toBe(given === expected);
      }),
    );
    expect(sameKey('مفتاح-محلي', 'مفتاح-محلي')).toBe(true);
    expect(sameKey('a'.repeat(10_000), 'a')).toBe(false);
  });
});
