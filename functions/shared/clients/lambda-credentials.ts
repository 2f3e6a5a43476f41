/**
 * What the bundles put in place of `@aws-sdk/credential-provider-node` (an esbuild alias set in
 * infra/constructs/function-bundling.ts): in Lambda the execution role's credentials are in the
 * environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), the first link of the
 * SDK's default chain, so the rest of the chain (SSO, INI files, web identity, container and
 * instance metadata, and the STS and SSO clients behind them, about 100 KB) never runs there and
 * stays out of the bundle. The clients' runtimeConfig imports `defaultProvider` only; esbuild
 * refuses the build if anything imports more.
 *
 * Only the bundles use this; code run from source (tests, the local runtime) keeps the full chain.
 */
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';

/** The environment's credentials, as the default chain finds them first in Lambda. */
export const defaultProvider = (init: FromEnvInit = {}): AwsCredentialIdentityProvider => fromEnv(init);

