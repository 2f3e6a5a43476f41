/** The desk API's EventBridge client, for recording only (not GET /me nor the preview): the package loads on the first event recorded, not at cold start (see `onDemandClient`, lazy-client.ts). */
import { onDemandClient } from './lazy-client.ts';

export const eventBridgeClientOnDemand = onDemandClient(async () => new (await import('@aws-sdk/client-eventbridge')).EventBridgeClient({}));
