/**
 * Who may speak on the bus: only the processor publishes as the tracker (so a forged alert
 * never reaches SNS, Slack or another team's rule), and only the configured publishers write
 * the registry. The processor also gets the sources it accepts registry events from.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { detailTypes } from '../../events/catalog.ts';
import { DESK_SOURCE, TRACKER_SOURCE } from '../../events/common.ts';
import { ENV } from '../../functions/shared/env-names.ts';
import { BUS_POLICY_SIDS } from '../../infra/constructs/event-bus.ts';
import { FULL_SETTINGS, functionId, PSEUDO, renderValue, resourcesOf, roleOf, synthTracker, type SynthesizedTracker } from './synth.ts';

interface BusStatement {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource: unknown;
  Condition: Record<string, Record<string, unknown>>;
}

const busStatements = (synth: SynthesizedTracker): BusStatement[] =>
  Object.values(resourcesOf(synth.stateful, 'AWS::Events::EventBus')).flatMap(
    (bus) => (bus.Properties?.Policy?.Statement ?? []) as BusStatement[],
  );

const statementWithSid = (synth: SynthesizedTracker, sid: string): BusStatement | undefined =>
  busStatements(synth).find((statement) => statement.Sid === sid);

const busId = (synth: SynthesizedTracker): string => Object.keys(resourcesOf(synth.stateful, 'AWS::Events::EventBus'))[0]!;

const processorEnvironment = (synth: SynthesizedTracker): Record<string, unknown> =>
  resourcesOf(synth.stateless, 'AWS::Lambda::Function')[functionId(synth.stateless, 'ProcessorFunction')]!.Properties!.Environment.Variables;

const BUS_ARN = `arn:aws:events:${PSEUDO['AWS::Region']}:${PSEUDO['AWS::AccountId']}:event-bus/position-tracker-prod`;

/** The shape both bus statements share: a Deny of PutEvents on this bus to everyone, unless the principal is excepted. */
const expectPutEventsDeniedOnThisBus = (statement: ReturnType<typeof statementWithSid>): void => {
  expect(statement).toBeDefined();
  expect(statement?.Effect).toBe('Deny');
  expect(statement?.Principal).toEqual({ AWS: '*' });
  expect(statement?.Action).toBe('events:PutEvents');
  expect(renderValue(statement?.Resource)).toBe(BUS_ARN);
  expect(Object.keys(statement?.Condition ?? {}).sort()).toEqual(['ArnNotEquals', 'StringEquals']);
};

describe('bus policy', () => {
  let prod: SynthesizedTracker;
  let dev: SynthesizedTracker;
  beforeAll(() => {
    prod = synthTracker(FULL_SETTINGS);
    dev = synthTracker({ stage: 'dev' });
  });

  it('is the bus\'s one policy: no separate bus policy resource', () => {
    expect(resourcesOf(prod.stateful, 'AWS::Events::EventBusPolicy')).toEqual({});
    expect(Object.keys(resourcesOf(prod.stateful, 'AWS::Events::EventBus'))).toHaveLength(1);
  });

  it('denies PutEvents with the tracker source to every principal but the processor role', () => {
    const statement = statementWithSid(prod, BUS_POLICY_SIDS.trackerSource)!;

    expectPutEventsDeniedOnThisBus(statement);
    expect(statement.Condition.StringEquals).toEqual({ 'events:source': TRACKER_SOURCE });
    expect(Object.keys(statement.Condition.ArnNotEquals!)).toEqual(['aws:PrincipalArn']);
  });

  it("makes the processor's own role, and no other, the exception", () => {
    const exception = renderValue(statementWithSid(prod, BUS_POLICY_SIDS.trackerSource)!.Condition.ArnNotEquals!['aws:PrincipalArn']);
    const [processorRoleId, processorRole] = roleOf(prod.stateless, functionId(prod.stateless, 'ProcessorFunction'));
    const roleName = renderValue(processorRole.Properties?.RoleName);

    expect(exception).toBe(`arn:aws:iam::${PSEUDO['AWS::AccountId']}:role/${roleName}`);
    expect(roleName).toBe(`pt-processor-prod-${PSEUDO['AWS::Region']}`);
    const namedRoles = Object.entries(resourcesOf(prod.stateless, 'AWS::IAM::Role')).filter(([, role]) => role.Properties?.RoleName !== undefined);
    // The desk's role is named too, for the registry statement; only the processor's is the tracker source's exception.
    const [deskRoleId] = roleOf(prod.stateless, functionId(prod.stateless, 'DeskApiFunction'));
    expect(namedRoles.map(([id]) => id).sort()).toEqual([deskRoleId, processorRoleId].sort());
  });

  it('names a different processor role per stage, so one stage cannot speak for another', () => {
    const exception = renderValue(statementWithSid(dev, BUS_POLICY_SIDS.trackerSource)!.Condition.ArnNotEquals!['aws:PrincipalArn']);

    expect(exception).toBe(`arn:aws:iam::${PSEUDO['AWS::AccountId']}:role/pt-processor-dev-${PSEUDO['AWS::Region']}`);
  });

  it('lets the processor role publish only through its IAM grant, on this bus', () => {
    const [processorRoleId] = roleOf(prod.stateless, functionId(prod.stateless, 'ProcessorFunction'));
    const putEvents = Object.values(resourcesOf(prod.stateless, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties?.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === processorRoleId))
      .flatMap((policy) => policy.Properties?.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>)
      .filter((statement) => JSON.stringify(statement.Action).includes('events:PutEvents'));

    expect(putEvents).toHaveLength(1);
    // The bus's ARN, exported by the stateful stack.
    expect(JSON.stringify(putEvents[0]!.Resource)).toContain(`FnGetAtt${busId(prod)}Arn`);
    expect(busStatements(prod).filter((statement) => statement.Effect === 'Allow')).toEqual([]);
  });

  it('denies registry events, corrections and retractions to every principal not named in registryPublishers.principals', () => {
    const statement = statementWithSid(prod, BUS_POLICY_SIDS.registry)!;

    expectPutEventsDeniedOnThisBus(statement);
    // The named publishers, and the desk API's role, which sends the editors' registry records and revisions.
    const deskRole = `arn:aws:iam::${PSEUDO['AWS::AccountId']}:role/pt-desk-api-prod-${PSEUDO['AWS::Region']}`;
    expect((statement.Condition.ArnNotEquals!['aws:PrincipalArn'] as unknown[]).map(renderValue)).toEqual([...FULL_SETTINGS.registryPublishers.principals, deskRole]);
    const registryTypes = statement.Condition.StringEquals!['events:detail-type'] as string[];
    expect([...registryTypes].sort()).toEqual([
      'Actor Registered', 'Bloc Registered', 'Issue Registered', 'Speaker Registered', 'Statement Corrected', 'Statement Retracted', 'Watch Registered',
    ]);
    expect([...registryTypes].sort()).toEqual(detailTypes('registry', 'correction').sort());
  });

  it('leaves registry events to IAM and the source allow-list when no principal is configured', () => {
    expect(statementWithSid(dev, BUS_POLICY_SIDS.registry)).toBeUndefined();
    expect(busStatements(dev).map((statement) => statement.Sid)).toEqual([BUS_POLICY_SIDS.trackerSource]);
  });

  it('hands the processor the registry sources as a comma-separated list', () => {
    const narrow = synthTracker({ registryPublishers: { sources: ['newsroom.registry'] } }, { nag: false });

    expect(processorEnvironment(prod)[ENV.registrySources]).toBe('newsroom.registry,newsroom.desk');
    expect(processorEnvironment(narrow)[ENV.registrySources]).toBe('newsroom.registry');
  });

  it('accepts by default the source the seed registry is loaded with', () => {
    expect(String(processorEnvironment(dev)[ENV.registrySources]).split(',')).toContain(DESK_SOURCE);
  });
});
