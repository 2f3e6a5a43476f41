/** The notifier's client for the Slack webhook secret; AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_SECRETS_MANAGER points it elsewhere (see lazy-client.ts). */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { lazyClient } from './lazy-client.ts';

export const secretsManagerClient = lazyClient(() => new SecretsManagerClient({}));
