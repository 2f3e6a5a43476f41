/**
 * CDK entry point: `npx cdk synth -c stage=prod`. Reads and validates the stage's settings,
 * builds its two stacks and runs the cdk-nag AWS Solutions checks on them.
 */
import { App } from 'aws-cdk-lib';
import { ConfigError, loadConfig } from './config.ts';
import { applyNag, buildTracker } from './tracker-app.ts';

const app = new App();
try {
  const config = loadConfig({ context: (key) => app.node.tryGetContext(key) });
  buildTracker(app, config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // A bad setting is the user's to fix: the message names it, a stack trace would bury it.
  console.error(error.message);
  process.exit(1);
}
applyNag(app);
app.synth();
