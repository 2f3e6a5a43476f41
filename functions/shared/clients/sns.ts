/** The notifier's client for the alert topic; AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_SNS points it elsewhere (see lazy-client.ts). */
import { SNSClient } from '@aws-sdk/client-sns';
import { lazyClient } from './lazy-client.ts';

export const snsClient = lazyClient(() => new SNSClient({}));
