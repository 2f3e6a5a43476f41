/**
 * Roles from tokens and tokens from groups: the desk API reads the caller's role from the JWT's
 * scopes, and the user pool's trigger writes those scopes from the user's groups, so a reader's
 * token never carries `write`, whatever the sign-in asked for.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { callerFromScopes, parseScopeNames, scopesForGroups } from '../../../functions/api/token-scopes.ts';
import { createHandler as createTrigger } from '../../../functions/handlers/pre-token-generation.ts';
import { callerOf, fromDeskEvent } from '../../../functions/handlers/desk-api.ts';

const NAMES = { read: 'tracker/read', quarantine: 'tracker/quarantine.read', write: 'tracker/write' };

const triggerEvent = (groups: string[], asked: string[]): PreTokenGenerationV2TriggerEvent =>
  ({
    version: '2', triggerSource: 'TokenGeneration_HostedAuth', region: 'eu-west-1', userPoolId: 'eu-west-1_x', userName: 'u',
    callerContext: { awsSdkVersion: '1', clientId: 'c' },
    request: { userAttributes: {}, groupConfiguration: { groupsToOverride: groups }, scopes: asked },
    response: { claimsAndScopeOverrideDetails: {} },
  }) as unknown as PreTokenGenerationV2TriggerEvent;

const deskEvent = (jwt: { scopes?: string[]; claims: Record<string, string> } | undefined, body?: string, isBase64Encoded = false): APIGatewayProxyEventV2WithJWTAuthorizer =>
  ({
    version: '2.0', routeKey: 'POST /desk/events', rawPath: '/desk/events', rawQueryString: '', headers: {}, isBase64Encoded,
    ...(body === undefined ? {} : { body }),
    requestContext: { http: { method: 'POST', path: '/desk/events' }, stage: '$default', ...(jwt === undefined ? {} : { authorizer: { jwt, principalId: '', integrationLatency: 0 } }) },
  }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

describe('token scopes', () => {
  it('make an editor of a token with the write scope and a reader of one without', () => {
    expect(callerFromScopes('openid tracker/read tracker/quarantine.read tracker/write', NAMES)).toEqual({ role: 'editor', scopes: ['read', 'quarantine', 'write'] });
    expect(callerFromScopes(['tracker/read'], NAMES)).toEqual({ role: 'reader', scopes: ['read'] });
    expect(callerFromScopes(undefined, NAMES)).toEqual({ role: 'reader', scopes: [] });
  });

  it('are granted by group: editors all three, readers read, anyone else none, the rest withheld', () => {
    expect(scopesForGroups(['editors'], NAMES)).toEqual({ grant: ['tracker/quarantine.read', 'tracker/read', 'tracker/write'], withhold: [] });
    expect(scopesForGroups(['readers'], NAMES)).toEqual({ grant: ['tracker/read'], withhold: ['tracker/quarantine.read', 'tracker/write'] });
    expect(scopesForGroups(['interns'], NAMES).grant).toEqual([]);
  });

  it('refuses scope names that are not the three kinds', () => {
    expect(() => parseScopeNames('{"read":"a"}')).toThrow(/read", "quarantine", "write/);
  });
});

describe('the pre-token-generation trigger', () => {
  it("writes the reader's scopes into the access token and suppresses write, even when the sign-in asked for it", async () => {
    const trigger = createTrigger({ scopeNames: NAMES });

    const result = await trigger(triggerEvent(['readers'], ['openid', 'tracker/write']));

    expect(result.response.claimsAndScopeOverrideDetails.accessTokenGeneration).toEqual({
      scopesToAdd: ['tracker/read'],
      scopesToSuppress: ['tracker/quarantine.read', 'tracker/write'],
    });
  });
});

describe("the desk API's Lambda entry", () => {
  it('reads the caller from the JWT scopes the authorizer passed, and the body as sent (base64 included)', () => {
    const body = JSON.stringify({ detailType: 'Statement Recorded', detail: { text: 'لا' } });

    const request = fromDeskEvent(deskEvent({ scopes: ['tracker/read'], claims: {} }, Buffer.from(body).toString('base64'), true), NAMES);

    expect(request.caller).toEqual({ role: 'reader', scopes: ['read'] });
    expect(Buffer.from(request.body).toString('utf8')).toBe(body);
    expect(request).toMatchObject({ method: 'POST', path: '/desk/events' });
  });

  it("reads the scope claim when the authorizer lists no scopes, and takes an IAM caller (no JWT) as an editor", () => {
    expect(callerOf(deskEvent({ claims: { scope: 'tracker/read tracker/write' } }), NAMES).role).toBe('editor');
    expect(callerOf(deskEvent(undefined), undefined)).toEqual({ role: 'editor', scopes: ['read', 'quarantine', 'write'] });
  });
});
