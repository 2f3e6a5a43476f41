/**
 * Sign-in for the web app and the desk: the tracker's own Cognito user pool (in the stateful stack:
 * it holds the users), used when the stage's `apiAuth` is `{ "type": "cognito" }`. Two groups map to
 * the API's roles (`editors`: read, quarantine, write; `readers`: read), a resource server `tracker`
 * declares the scopes, and a pre-token-generation trigger (V2_0, which needs the Essentials feature
 * plan) writes the scopes of the user's groups into the access token. The web app's client signs in
 * with the authorization code grant and PKCE, without a secret. A newsroom's own identity provider
 * (SAML or OIDC) is federated by adding it to this pool (README, "Deploy to AWS").
 */
import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery, FeaturePlan, LambdaVersion, Mfa, OAuthScope, ResourceServerScope, UserPool, UserPoolClient, UserPoolClientIdentityProvider,
  UserPoolDomain, UserPoolGroup, UserPoolOperation, UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { GROUP_ROLES } from '../../functions/api/token-scopes.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import { DEFAULT_API_SCOPES } from '../config.ts';
import { acknowledge } from '../nag.ts';
import { type FunctionSettings, TrackerFunction } from './tracker-function.ts';

/** The resource server's identifier: scopes are `tracker/read`, `tracker/quarantine.read`, `tracker/write` (DEFAULT_API_SCOPES). */
export const RESOURCE_SERVER_ID = 'tracker';

const scopeName = (full: string): string => full.slice(RESOURCE_SERVER_ID.length + 1);

export const defaultDomainPrefix = (stage: string): string => `pt-${stage}-${Aws.ACCOUNT_ID}`;

/** The hosted sign-in's host name, known from the prefix before the domain exists (the web app's CSP names it). */
export const signInDomainName = (prefix: string): string => `${prefix}.auth.${Aws.REGION}.amazoncognito.com`;

export interface SignInProps {
  settings: FunctionSettings;
  retainData: boolean;
  /** The web app's URL (https://<distribution>/): where the hosted sign-in returns. */
  appUrl: string;
  domainPrefix: string;
}

export class SignIn extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly resourceServer: UserPoolResourceServer;
  readonly groups: UserPoolGroup[];
  readonly trigger: TrackerFunction;
  /** The JWT issuer API Gateway's authorizer trusts. */
  readonly issuer: string;
  /** The OAuth scopes the web app asks for. */
  readonly scopes: string[];
  /** The hosted sign-in's host name, `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainName: string;

  constructor(scope: Construct, id: string, { settings, retainData, appUrl, domainPrefix }: SignInProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `position-tracker-${settings.stage}`,
      // Editors and readers are invited by an administrator (admin-create-user), never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      // The desk writes the record a newsroom publishes from: a password alone is not enough.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Essentials: what access-token customisation (the V2_0 trigger) needs.
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: retainData,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(this.userPool, 'AwsSolutions-COG8',
      'Essentials, not Plus: the pool serves a newsroom desk of invited editors with required TOTP MFA and a 12-character password policy; Plus adds paid threat protection per active user, which a stage can turn on in the console without a redeploy.');

    this.resourceServer = this.userPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Position tracker API',
      scopes: [
        new ResourceServerScope({ scopeName: scopeName(DEFAULT_API_SCOPES.read), scopeDescription: 'Read positions, histories, alerts and feeds' }),
        new ResourceServerScope({ scopeName: scopeName(DEFAULT_API_SCOPES.quarantine), scopeDescription: 'Read rejected events as received' }),
        new ResourceServerScope({ scopeName: scopeName(DEFAULT_API_SCOPES.write), scopeDescription: 'Record statements, corrections and registry records' }),
      ],
    });
    this.groups = Object.entries(GROUP_ROLES).map(([groupName, role]) =>
      new UserPoolGroup(this, `Group-${groupName}`, { userPool: this.userPool, groupName, description: `The ${role} role of the position tracker` }));

    this.trigger = new TrackerFunction(this, 'PreTokenGeneration', {
      handlerFile: 'pre-token-generation',
      description: "Puts the API scopes of the user's groups into the access token",
      settings,
      timeout: Duration.seconds(5),
      memorySize: 128,
    });
    this.trigger.addEnvironment(ENV.apiScopes, JSON.stringify(DEFAULT_API_SCOPES));
    this.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, this.trigger, LambdaVersion.V2_0);

    this.scopes = [OAuthScope.OPENID.scopeName, OAuthScope.EMAIL.scopeName, ...Object.values(DEFAULT_API_SCOPES)];
    this.client = this.userPool.addClient('WebApp', {
      userPoolClientName: 'web-app',
      // A browser app cannot keep a secret: the authorization code grant with PKCE, no client secret.
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, ...Object.values(DEFAULT_API_SCOPES).map((full) =>
          OAuthScope.resourceServer(this.resourceServer, new ResourceServerScope({ scopeName: scopeName(full), scopeDescription: full })))],
        callbackUrls: [appUrl],
        logoutUrls: [appUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });

    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });
    this.domainName = signInDomainName(domainPrefix);
    this.issuer = `https://cognito-idp.${Aws.REGION}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
