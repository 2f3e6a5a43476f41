/**
 * The SDK clients of the delivery side (alerts to SNS and Slack, snapshots in S3), built once per
 * container on first use, like the ones in clients.ts. Endpoints come from the standard
 * AWS_ENDPOINT_URL_* variables when a local stand-in is wanted.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Tracer } from '@aws-lambda-powertools/tracer';

let s3: S3Client | undefined;
let sns: SNSClient | undefined;
let secretsManager: SecretsManagerClient | undefined;

export const s3Client = (tracer?: Tracer): S3Client => {
  if (s3 === undefined) {
    s3 = new S3Client({});
    tracer?.captureAWSv3Client(s3);
  }
  return s3;
};

export const snsClient = (tracer?: Tracer): SNSClient => {
  if (sns === undefined) {
    sns = new SNSClient({});
    tracer?.captureAWSv3Client(sns);
  }
  return sns;
};

export const secretsManagerClient = (tracer?: Tracer): SecretsManagerClient => {
  if (secretsManager === undefined) {
    secretsManager = new SecretsManagerClient({});
    tracer?.captureAWSv3Client(secretsManager);
  }
  return secretsManager;
};
