/**
 * The read API: every route sits behind the configured authorizer, access is logged and
 * throttled, and the routes are the ones newsroom tools call.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DESK_ROUTES } from '../../functions/api/desk-routes.ts';
import { API_SCOPES, ROUTES } from '../../functions/api/routes.ts';
import { DEFAULT_API_SCOPES } from '../../infra/config.ts';
import { FULL_SETTINGS, functionId, resourcesOf, synthTracker, type SynthesizedTracker } from './synth.ts';

describe('read API', () => {
  let iam: SynthesizedTracker;
  let jwt: SynthesizedTracker;
  beforeAll(() => {
    iam = synthTracker({ apiThrottle: { rateLimit: 25, burstLimit: 40 } });
    jwt = synthTracker(FULL_SETTINGS);
  });

  const routes = (synth: SynthesizedTracker) => Object.values(resourcesOf(synth.stateless, 'AWS::ApiGatewayV2::Route')).map((r) => r.Properties!);

  const ALL_ROUTES = [...ROUTES, ...DESK_ROUTES];

  it('serves exactly the routes of the read and desk route tables', () => {
    expect(routes(iam).map((r) => r.RouteKey).sort()).toEqual(ALL_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('routes every path of the API contract, /quarantine and the desk included, and nothing else', () => {
    expect(routes(iam)).toHaveLength(12);
    expect(routes(iam).map((r) => r.RouteKey)).toEqual(expect.arrayContaining(['GET /quarantine', 'GET /me', 'POST /desk/events', 'POST /desk/preview']));
  });

  it('gives every route of the tables, under JWT, the configured scope of its kind', () => {
    const scopesByRoute = new Map(routes(jwt).map((route) => [route.RouteKey as string, route.AuthorizationScopes as string[]]));

    expect([...scopesByRoute.keys()].sort()).toEqual(ALL_ROUTES.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of ALL_ROUTES) expect(scopesByRoute.get(`${route.method} ${route.path}`), route.id).toEqual([DEFAULT_API_SCOPES[route.scope]]);
    expect(new Set([...ROUTES, ...DESK_ROUTES].map((route) => route.scope))).toEqual(new Set(API_SCOPES));
  });

  it('puts every route, /openapi.json included, behind IAM authorization by default', () => {
    for (const route of routes(iam)) expect(route.AuthorizationType, route.RouteKey).toBe('AWS_IAM');
    expect(resourcesOf(iam.stateless, 'AWS::ApiGatewayV2::Authorizer')).toEqual({});
  });

  it('puts every route behind the JWT authorizer with the configured issuer and audience', () => {
    const authorizers = Object.entries(resourcesOf(jwt.stateless, 'AWS::ApiGatewayV2::Authorizer'));

    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0]!;
    expect(authorizer.Properties?.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties?.JwtConfiguration).toEqual({
      Issuer: FULL_SETTINGS.apiAuth.issuer,
      Audience: [...FULL_SETTINGS.apiAuth.audience],
    });
    for (const route of routes(jwt)) {
      expect(route.AuthorizationType, route.RouteKey).toBe('JWT');
      expect(route.AuthorizerId, route.RouteKey).toEqual({ Ref: authorizerId });
    }
  });

  it('makes a JWT carry the read scope for positions, alerts and snapshots, the quarantine scope for /quarantine, the write scope for the desk', () => {
    const scopesByRoute = Object.fromEntries(routes(jwt).map((route) => [route.RouteKey, route.AuthorizationScopes]));

    expect(scopesByRoute).toEqual({
      'GET /issues': [DEFAULT_API_SCOPES.read],
      'GET /issues/{issue}/positions': [DEFAULT_API_SCOPES.read],
      'GET /issues/{issue}/snapshot': [DEFAULT_API_SCOPES.read],
      'GET /actors/{actor}/positions': [DEFAULT_API_SCOPES.read],
      'GET /actors/{actor}/history': [DEFAULT_API_SCOPES.read],
      'GET /alerts': [DEFAULT_API_SCOPES.read],
      'GET /changes': [DEFAULT_API_SCOPES.read],
      'GET /quarantine': [DEFAULT_API_SCOPES.quarantine],
      'GET /openapi.json': [DEFAULT_API_SCOPES.read],
      'GET /me': [DEFAULT_API_SCOPES.read],
      'POST /desk/events': [DEFAULT_API_SCOPES.write],
      'POST /desk/preview': [DEFAULT_API_SCOPES.write],
    });
    expect(DEFAULT_API_SCOPES).toEqual({ read: 'tracker/read', quarantine: 'tracker/quarantine.read', write: 'tracker/write' });
  });

  it('uses the scope names the stage configures', () => {
    const named = synthTracker(
      { apiAuth: { ...FULL_SETTINGS.apiAuth, scopes: { read: 'desk/read', quarantine: 'desk/triage', write: 'desk/write' } } },
      { nag: false },
    );
    const scopesByRoute = new Map(routes(named).map((route) => [route.RouteKey as string, route.AuthorizationScopes as string[]]));

    expect(scopesByRoute.get('GET /quarantine')).toEqual(['desk/triage']);
    expect(scopesByRoute.get('POST /desk/events')).toEqual(['desk/write']);
    expect(scopesByRoute.get('POST /desk/preview')).toEqual(['desk/write']);
    for (const [routeKey, scopes] of scopesByRoute) {
      if (routeKey !== 'GET /quarantine' && !routeKey.startsWith('POST /desk/')) expect(scopes, routeKey).toEqual(['desk/read']);
    }
  });

  it('leaves IAM-authorised routes without scopes (IAM policies grant execute-api:Invoke per route)', () => {
    for (const route of routes(iam)) {
      expect(route.AuthorizationType, route.RouteKey).toBe('AWS_IAM');
      expect(route.AuthorizationScopes, route.RouteKey).toBeUndefined();
    }
  });

  it('has no route without authorization, in any configuration', () => {
    for (const synth of [iam, jwt]) {
      for (const route of routes(synth)) expect(['AWS_IAM', 'JWT'], route.RouteKey).toContain(route.AuthorizationType);
    }
  });

  it('logs every request as JSON and throttles the stage', () => {
    const stage = Object.values(resourcesOf(iam.stateless, 'AWS::ApiGatewayV2::Stage'))[0]!.Properties!;

    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 25, ThrottlingBurstLimit: 40 });
    expect(stage.AccessLogSettings.DestinationArn).toBeDefined();
    const format = JSON.parse(stage.AccessLogSettings.Format as string) as Record<string, string>;
    expect(format.requestId).toBe('$context.requestId');
    expect(format.caller).toBe('$context.identity.userArn');
  });

  it('integrates the read routes with the read-api function and the desk routes with the desk-api function', () => {
    const integrations = Object.entries(resourcesOf(iam.stateless, 'AWS::ApiGatewayV2::Integration'));
    const targetOf = (routeKey: string): string => {
      const route = routes(iam).find((r) => r.RouteKey === routeKey)!;
      const integrationId = JSON.stringify(route.Target).match(/"Ref":"([^"]+)"/)![1]!;
      return JSON.stringify(integrations.find(([id]) => id === integrationId)![1].Properties?.IntegrationUri);
    };

    expect(integrations).toHaveLength(2);
    for (const route of ROUTES) expect(targetOf(`${route.method} ${route.path}`), route.id).toContain(functionId(iam.stateless, 'ReadApiFunction'));
    for (const route of DESK_ROUTES) expect(targetOf(`${route.method} ${route.path}`), route.id).toContain(functionId(iam.stateless, 'DeskApiFunction'));
  });
});
