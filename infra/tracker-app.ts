/**
 * The tracker's stacks for one stage, composed from the configuration. Shared by the CDK entry
 * point and the infrastructure tests, so the tests check the app that gets deployed.
 */
import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { TrackerConfig } from './config.ts';
import { deskRoleName } from './constructs/desk-api.ts';
import { processorRoleName } from './constructs/processor.ts';
import { functionSettings } from './stacks/stateless-stack.ts';
import { feedBucketName } from './constructs/feeds.ts';
import { snapshotBucketName } from './constructs/snapshots.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export interface TrackerStacks {
  stateful: StatefulStack;
  stateless: StatelessStack;
}

export const stackNames = (stage: string) => ({
  stateful: `PositionTracker-${stage}-Stateful`,
  stateless: `PositionTracker-${stage}-Stateless`,
});

export function buildTracker(app: App, config: TrackerConfig): TrackerStacks {
  const env = config.account !== undefined || config.region !== undefined
    ? { account: config.account, region: config.region }
    : undefined;
  const names = stackNames(config.stage);

  const stateful = new StatefulStack(app, names.stateful, {
    config,
    env,
    description: `Negotiation position tracker (${config.stage}): event bus, tracker table, snapshot bucket`,
    terminationProtection: config.retainData,
    processorRoleName: processorRoleName(config.stage),
    deskRoleName: deskRoleName(config.stage),
    settings: functionSettings(config),
  });
  const stateless = new StatelessStack(app, names.stateless, {
    config,
    env,
    description: `Negotiation position tracker (${config.stage}): functions, queues, rules, alerts, API, alarms`,
    bus: stateful.eventBus.bus,
    table: stateful.table,
    snapshotBucketName: snapshotBucketName(config.stage),
    feedBucketName: feedBucketName(config.stage),
    feedsDomainName: stateful.feeds.domainName,
    web: stateful.web,
    signIn: stateful.signIn,
  });
  // The bucket and the processor's role are referenced by name, not by a CDK reference, so the
  // order is stated here.
  stateless.addStackDependency(stateful);

  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('project', 'position-tracker');
    Tags.of(stack).add('stage', config.stage);
  }
  return { stateful, stateless };
}

/** AWS Solutions checks run at synth; an unacknowledged finding fails the synth. */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
