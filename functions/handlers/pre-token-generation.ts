/**
 * The user pool's pre-token-generation trigger (event version V2_0): the access token carries the
 * API scopes of the user's groups (`editors`: read, quarantine, write; `readers`: read) and none of
 * the tracker's other scopes, whatever the sign-in asked for. API Gateway's JWT authorizer then
 * checks each route's scope against it, so a reader's token cannot reach a write route.
 */
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { parseScopeNames, scopesForGroups, type ScopeNames } from '../api/token-scopes.ts';
import { readConfig } from '../shared/config.ts';
import { lambdaHandler, type LambdaFunction } from '../shared/lambda.ts';

export const createHandler = ({ scopeNames }: { scopeNames: ScopeNames }): LambdaFunction<PreTokenGenerationV2TriggerEvent, PreTokenGenerationV2TriggerEvent> =>
  async (event) => {
    const { grant, withhold } = scopesForGroups(event.request.groupConfiguration.groupsToOverride ?? [], scopeNames);
    event.response = {
      claimsAndScopeOverrideDetails: {
        accessTokenGeneration: { scopesToAdd: grant, scopesToSuppress: withhold },
      },
    };
    return event;
  };

export const liveDeps = (): { scopeNames: ScopeNames } => ({ scopeNames: parseScopeNames(readConfig(['apiScopes']).apiScopes) });

export const handler = lambdaHandler(createHandler, liveDeps);
