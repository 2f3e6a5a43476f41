/**
 * The web app and its sign-in in AWS: the files in a private bucket only CloudFront may read (OAC),
 * served over HTTPS (TLS 1.2+) with the content security policy and the other security headers;
 * the tracker's own user pool with the editors and readers groups, the resource server's scopes and
 * the V2_0 token trigger; the desk's write routes on the write scope; the desk function able to put
 * events on the bus and read the table, and nothing else; CORS for the app's origin only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env-names.ts';
import { FULL_SETTINGS, actionsOf, expectReadOnlyByCloudFront, functionId, only, renderValue, resourcesOf, roleStatements, synthTracker, type SynthesizedTracker } from './synth.ts';

describe('the web app and its sign-in', () => {
  let synth: SynthesizedTracker;
  beforeAll(() => {
    synth = synthTracker({ ...FULL_SETTINGS, apiAuth: { type: 'cognito' } });
  });

  const webOnly = (type: string) => Object.fromEntries(Object.entries(resourcesOf(synth.stateful, type)).filter(([id]) => id.startsWith('WebApp')));

  it('keeps the files in a private, encrypted, logged bucket that only the distribution reads, over TLS', () => {
    const [bucketId, bucket] = only(Object.fromEntries(Object.entries(webOnly('AWS::S3::Bucket')).filter(([id]) => id.startsWith('WebAppFiles'))), 'web bucket');
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(JSON.stringify(bucket.Properties?.BucketEncryption)).toContain('AES256');
    expect(bucket.Properties?.LoggingConfiguration?.LogFilePrefix).toBe('web-bucket/');

    expectReadOnlyByCloudFront(synth.stateful, bucketId);
    expect(Object.keys(webOnly('AWS::CloudFront::OriginAccessControl'))).toHaveLength(1);
  });

  it('serves index.html at the root, redirecting HTTP to HTTPS, with logging', () => {
    const [, distribution] = only(webOnly('AWS::CloudFront::Distribution'), 'web distribution');
    const config = distribution.Properties?.DistributionConfig;

    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] });
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Logging.Prefix).toBe('cloudfront/');
  });

  it("holds viewers to TLS 1.2 on the stage's own domain, which CORS and the sign-in's callback then name", () => {
    const domain = synthTracker({
      ...FULL_SETTINGS,
      apiAuth: { type: 'cognito' },
      webDomain: { name: 'tracker.example.org', certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012' },
    });
    const [, distribution] = only(Object.fromEntries(Object.entries(resourcesOf(domain.stateful, 'AWS::CloudFront::Distribution')).filter(([id]) => id.startsWith('WebApp'))), 'web distribution');
    const config = distribution.Properties?.DistributionConfig;

    expect(config.Aliases).toEqual(['tracker.example.org']);
    expect(config.ViewerCertificate).toMatchObject({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    const [, client] = only(resourcesOf(domain.stateful, 'AWS::Cognito::UserPoolClient'), 'app client');
    expect(client.Properties?.CallbackURLs).toEqual(['https://tracker.example.org/']);
    const [, api] = only(resourcesOf(domain.stateless, 'AWS::ApiGatewayV2::Api'), 'HTTP API');
    expect(api.Properties?.CorsConfiguration.AllowOrigins).toEqual(['https://tracker.example.org']);
  });

  it('answers with a CSP that runs only its own scripts and connects only to the API and the sign-in, HSTS, nosniff, DENY and no referrer', () => {
    const [, policy] = only(webOnly('AWS::CloudFront::ResponseHeadersPolicy'), 'web response headers policy');
    const headers = policy.Properties?.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = renderValue(headers.ContentSecurityPolicy.ContentSecurityPolicy);

    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain("connect-src 'self' https://*.execute-api.eu-west-1.amazonaws.com https://pt-prod-111111111111.auth.eu-west-1.amazoncognito.com");
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true });
    expect(headers.ContentTypeOptions.Override).toBe(true);
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    expect(headers.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
  });

  it('has a user pool with required TOTP MFA, a strong password policy, no self sign-up, on Essentials, with the V2_0 token trigger', () => {
    const [, pool] = only(resourcesOf(synth.stateful, 'AWS::Cognito::UserPool'), 'user pool');
    const props = pool.Properties!;

    expect(props.MfaConfiguration).toBe('ON');
    expect(props.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect(props.Policies.PasswordPolicy).toMatchObject({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true });
    expect(props.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(true);
    expect(props.UserPoolTier).toBe('ESSENTIALS');
    expect(props.LambdaConfig.PreTokenGenerationConfig.LambdaVersion).toBe('V2_0');
    expect(JSON.stringify(props.LambdaConfig.PreTokenGenerationConfig.LambdaArn)).toContain('SignInPreTokenGeneration');
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('has the editors and readers groups and a resource server with the read, quarantine.read and write scopes', () => {
    const groups = Object.values(resourcesOf(synth.stateful, 'AWS::Cognito::UserPoolGroup')).map((group) => group.Properties?.GroupName).sort();
    const [, server] = only(resourcesOf(synth.stateful, 'AWS::Cognito::UserPoolResourceServer'), 'resource server');

    expect(groups).toEqual(['editors', 'readers']);
    expect(server.Properties?.Identifier).toBe('tracker');
    expect(server.Properties?.Scopes.map((scope: { ScopeName: string }) => scope.ScopeName)).toEqual(['read', 'quarantine.read', 'write']);
  });

  it("signs the web app in with the authorization code grant, no secret, back to the distribution's URL", () => {
    const [, client] = only(resourcesOf(synth.stateful, 'AWS::Cognito::UserPoolClient'), 'app client');
    const props = client.Properties!;

    expect(props.AllowedOAuthFlows).toEqual(['code']);
    expect(props.GenerateSecret).toBe(false);
    expect(JSON.stringify(props.CallbackURLs)).toContain('WebAppDistribution');
    expect(props.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('hands the trigger the scope names it grants', () => {
    const trigger = resourcesOf(synth.stateful, 'AWS::Lambda::Function')[functionId(synth.stateful, 'SignInPreTokenGeneration')]!;

    expect(JSON.parse(trigger.Properties?.Environment.Variables[ENV.apiScopes])).toEqual({ read: 'tracker/read', quarantine: 'tracker/quarantine.read', write: 'tracker/write' });
  });

  it('trusts the pool as the JWT issuer, with the app client as the audience, and puts the write routes on the write scope', () => {
    const [, authorizer] = only(resourcesOf(synth.stateless, 'AWS::ApiGatewayV2::Authorizer'), 'authorizer');
    const routes = Object.values(resourcesOf(synth.stateless, 'AWS::ApiGatewayV2::Route')).map((route) => route.Properties!);

    expect(JSON.stringify(authorizer.Properties?.JwtConfiguration.Issuer)).toMatch(/https:\/\/cognito-idp\..*amazonaws\.com\/.*SignInUsers/);
    expect(JSON.stringify(authorizer.Properties?.JwtConfiguration.Audience)).toContain('SignInUsersWebApp');
    expect(routes.find((route) => route.RouteKey === 'POST /desk/events')?.AuthorizationScopes).toEqual(['tracker/write']);
    expect(routes.find((route) => route.RouteKey === 'POST /desk/preview')?.AuthorizationScopes).toEqual(['tracker/write']);
    expect(routes.find((route) => route.RouteKey === 'GET /me')?.AuthorizationScopes).toEqual(['tracker/read']);
  });

  it('lets the desk function put events on the tracker bus and read the table, and nothing else', () => {
    const statements = roleStatements(synth.stateless, functionId(synth.stateless, 'DeskApiFunction'));
    const actions = statements.flatMap(actionsOf).filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:')).sort();

    expect(actions).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'events:PutEvents']);
    const putEvents = statements.find((statement) => actionsOf(statement).includes('events:PutEvents'))!;
    expect(JSON.stringify(putEvents.Resource)).toContain('EventBus');
  });

  it("allows the app's origin, and only it, to call the API from the browser", () => {
    const [, api] = only(resourcesOf(synth.stateless, 'AWS::ApiGatewayV2::Api'), 'HTTP API');
    const cors = api.Properties?.CorsConfiguration;

    expect(cors.AllowOrigins).toHaveLength(1);
    expect(JSON.stringify(cors.AllowOrigins[0])).toContain('WebAppDistribution');
    expect([...cors.AllowMethods].sort()).toEqual(['GET', 'OPTIONS', 'POST']);
    expect(cors.AllowHeaders).toEqual(['authorization', 'content-type', 'x-api-key']);
  });

  it('deploys config.json with the API URL and the sign-in into the web bucket, and invalidates the distribution', () => {
    const [, deployment] = only(resourcesOf(synth.stateless, 'Custom::CDKBucketDeployment'), 'web deployment');
    const props = deployment.Properties!;

    expect(renderValue(props.DestinationBucketName)).toBe('pt-web-prod-111111111111-eu-west-1');
    expect(props.DistributionPaths).toEqual(['/*']);
    expect(JSON.stringify(props.SourceMarkers)).toContain('ApiEndpoint');
    expect(JSON.stringify(props.SourceMarkers)).toContain('SignInUsersWebApp');
  });

  it('creates no user pool when the stage trusts an external issuer (federation)', () => {
    const external = synthTracker(FULL_SETTINGS, { nag: false });

    expect(resourcesOf(external.stateful, 'AWS::Cognito::UserPool')).toEqual({});
    expect(Object.keys(resourcesOf(external.stateful, 'AWS::CloudFront::Distribution'))).toHaveLength(2);
  });
});
