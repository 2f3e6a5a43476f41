/** The processor's client for publishing the tracker's events; AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_EVENTBRIDGE points it elsewhere (see lazy-client.ts). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { lazyClient } from './lazy-client.ts';

export const eventBridgeClient = lazyClient(() => new EventBridgeClient({}));
