/**
 * The authenticated HTTP API for newsroom tools. One function serves every route and can only
 * read: the table (item reads and queries) and the snapshot bucket (to presign snapshot URLs).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ROUTES } from '../../functions/api/routes.ts';
import type { ResolvedApiAuth } from '../config.ts';
import { type FunctionSettings, type TableBinding, TrackerFunction } from './tracker-function.ts';

export interface ReadApiProps {
  settings: FunctionSettings;
  table: TableBinding;
  snapshotBucket: IBucket;
  auth: ResolvedApiAuth;
  throttle: { rateLimit: number; burstLimit: number };
  /** Browser origins allowed to call the API (the web app's distribution); none by default. */
  corsOrigins?: readonly string[];
}

/** What a browser app may send: the bearer token (or a key), a JSON body. */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'x-api-key'];

const authorizerFor = (auth: ResolvedApiAuth): IHttpRouteAuthorizer =>
  auth.type === 'iam'
    ? new HttpIamAuthorizer()
    : new HttpJwtAuthorizer('JwtAuthorizer', auth.issuer, { jwtAudience: [...auth.audience] });

/** One JSON line per request: who called (IAM caller or JWT subject), what, and how it ended. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    caller: '$context.identity.userArn',
    subject: '$context.authorizer.claims.sub',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
  }),
);

export class ReadApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly function: TrackerFunction;
  readonly accessLogGroup: LogGroup;
  /** The authorizer every route goes through; the desk's routes (desk-api.ts) use it too. */
  readonly authorizer: IHttpRouteAuthorizer;
  readonly auth: ResolvedApiAuth;

  constructor(scope: Construct, id: string, { settings, table, snapshotBucket, auth, throttle, corsOrigins = [] }: ReadApiProps) {
    super(scope, id);

    this.function = new TrackerFunction(this, 'Function', {
      handlerFile: 'read-api',
      description: 'Serves positions, histories, alerts and snapshot links to newsroom tools',
      settings,
      // API Gateway gives up after 30 s; a read that takes longer has already failed for the caller.
      timeout: Duration.seconds(10),
      memorySize: 512,
    });
    this.function.bindTable({ table, access: 'read' });
    this.function.bindSnapshotBucket({ bucket: snapshotBucket, access: 'read' });

    const authorizer = authorizerFor(auth);
    this.authorizer = authorizer;
    this.auth = auth;
    this.httpApi = new HttpApi(this, 'Api', {
      description: 'Negotiation position tracker: read and desk API for newsroom tools and the web app',
      // Every route, /openapi.json included, goes through the authorizer; no route overrides it.
      defaultAuthorizer: authorizer,
      createDefaultStage: false,
      // API Gateway answers the preflight itself, before the authorizer, for these origins only.
      ...(corsOrigins.length === 0
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...corsOrigins],
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
              allowHeaders: CORS_ALLOWED_HEADERS,
              maxAge: Duration.hours(1),
            },
          }),
    });
    const integration = new HttpLambdaIntegration('ReadApiIntegration', this.function);
    // The routes and their scopes are the read API's own route table: a route it serves is a route here.
    for (const { path, method, scope } of ROUTES) {
      // Scopes exist for JWTs only; under IAM, callers' policies grant execute-api:Invoke per route.
      const authorizationScopes = auth.type === 'jwt' ? [auth.scopes[scope]] : undefined;
      this.httpApi.addRoutes({ path, methods: [HttpMethod[method]], integration, authorizer, authorizationScopes });
    }

    this.accessLogGroup = new LogGroup(this, 'AccessLogs', {
      retention: settings.logRetention,
      removalPolicy: settings.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogGroup),
        format: ACCESS_LOG_FORMAT,
      },
    });
  }

  /** The API's base URL (the $default stage has no path prefix). */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }
}
