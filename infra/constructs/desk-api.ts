/**
 * The desk API (functions/handlers/desk-api.ts) on the read API's HttpApi: GET /me and the write
 * routes of functions/api/desk-routes.ts, behind the same authorizer, each with its scope's JWT
 * scope (the write routes: the stage's `scopes.write`). Its function may put events on the tracker
 * bus and read the table (the preview replays an issue from it), and nothing else: it never writes
 * the table; the processor records what it sends.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { DESK_ROUTES } from '../../functions/api/desk-routes.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import type { ReadApi } from './read-api.ts';
import { type FunctionSettings, type TableBinding, TrackerFunction } from './tracker-function.ts';

/** Fixed, so the stateful stack's bus policy can let it publish registry records and revisions (event-bus.ts). */
export const deskRoleName = (stage: string): string => `pt-desk-api-${stage}-${Aws.REGION}`;

export interface DeskApiProps {
  settings: FunctionSettings;
  table: TableBinding;
  bus: IEventBus;
  api: ReadApi;
  /** Sources the processor accepts registry records and revisions from; the desk sends them with the first. */
  registrySources: readonly string[];
}

export class DeskApi extends Construct {
  readonly function: TrackerFunction;

  constructor(scope: Construct, id: string, { settings, table, bus, api, registrySources }: DeskApiProps) {
    super(scope, id);
    this.function = new TrackerFunction(this, 'Function', {
      handlerFile: 'desk-api',
      description: "Checks the desk's statements, corrections and registry records against their contracts and puts them on the bus; previews their effect",
      settings,
      timeout: Duration.seconds(10),
      memorySize: 512,
      roleName: deskRoleName(settings.stage),
    });
    this.function.bindTable({ table, access: 'read' });
    this.function.bindEventBus({ bus });
    this.function.addEnvironment(ENV.registrySources, registrySources.join(','));
    if (api.auth.type === 'jwt') this.function.addEnvironment(ENV.apiScopes, JSON.stringify(api.auth.scopes));

    const integration = new HttpLambdaIntegration('DeskApiIntegration', this.function);
    for (const { path, method, scope } of DESK_ROUTES) {
      const authorizationScopes = api.auth.type === 'jwt' ? [api.auth.scopes[scope]] : undefined;
      api.httpApi.addRoutes({ path, methods: [HttpMethod[method]], integration, authorizer: api.authorizer, authorizationScopes });
    }
  }
}
