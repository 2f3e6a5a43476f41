/**
 * The SDK clients of the delivery side (alerts to SNS and Slack, snapshots in S3); see clients.ts.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { lazyClient } from './lazy-client.ts';

export const s3Client = lazyClient(() => new S3Client({}));
export const snsClient = lazyClient(() => new SNSClient({}));
export const secretsManagerClient = lazyClient(() => new SecretsManagerClient({}));
