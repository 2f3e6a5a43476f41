/**
 * The authenticated HTTP API for newsroom tools. One function serves every route and can only
 * read: the table (item reads and queries) and the snapshot bucket (to presign snapshot URLs).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
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
import type { ApiAuth } from '../config.ts';
import { type FunctionSettings, type TableBinding, TrackerFunction } from './tracker-function.ts';

export interface ReadApiProps {
  settings: FunctionSettings;
  table: TableBinding;
  snapshotBucket: IBucket;
  auth: ApiAuth;
  throttle: { rateLimit: number; burstLimit: number };
}

const authorizerFor = (auth: ApiAuth): IHttpRouteAuthorizer =>
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

  constructor(scope: Construct, id: string, { settings, table, snapshotBucket, auth, throttle }: ReadApiProps) {
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
    this.httpApi = new HttpApi(this, 'Api', {
      description: 'Negotiation position tracker: read API for newsroom tools',
      // Every route, /openapi.json included, goes through the authorizer; no route overrides it.
      defaultAuthorizer: authorizer,
      createDefaultStage: false,
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
