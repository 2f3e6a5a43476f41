/**
 * The tracker's custom event bus, its resource policy (who may speak as the tracker, who may
 * write the registry), the archive that makes a replay possible, and a schema registry with one
 * schema per event contract so publishers can discover and bind to them.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Archive, CfnEventBus, EventBus } from 'aws-cdk-lib/aws-events';
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CONTRACTS, detailTypes } from '../../events/catalog.ts';
import { TRACKER_SOURCE } from '../../events/common.ts';
import { PROCESSOR_INPUTS } from '../../events/rules.ts';
import { REGISTRY_SCHEMA_TYPE, registrySchemaContent } from '../registry-schemas.ts';
import { eventPatternOf } from './bus-rules.ts';

export interface TrackerEventBusProps {
  stage: string;
  archiveRetentionDays: number;
  /** The one principal that may publish with the tracker's source: the processor's role. */
  trackerPublisherArn: string;
  /** IAM roles and users that may publish registry events; empty leaves that to IAM and the processor. */
  registryPublisherArns: readonly string[];
}

/** Statement ids of the bus policy. */
export const BUS_POLICY_SIDS = {
  trackerSource: 'OnlyTheProcessorPublishesAsTheTracker',
  registry: 'OnlyRegistryPublishersRegister',
} as const;

export class TrackerEventBus extends Construct {
  readonly bus: EventBus;
  readonly archive: Archive;
  readonly registry: CfnRegistry;
  /** Keyed by contract name, e.g. `statement-recorded.v1`. */
  readonly schemas: ReadonlyMap<string, CfnSchema>;

  constructor(
    scope: Construct,
    id: string,
    { stage, archiveRetentionDays, trackerPublisherArn, registryPublisherArns }: TrackerEventBusProps,
  ) {
    super(scope, id);

    // A stable name: publishers in other teams address the bus by it.
    const eventBusName = `position-tracker-${stage}`;
    this.bus = new EventBus(this, 'Bus', {
      eventBusName,
      description: 'Negotiation position tracker: statements in, position changes and divergence alerts out',
    });

    // Subscribers (the notifier, other teams' rules) trust `source: position-tracker` to mean
    // the processor said it. An explicit Deny in the bus policy binds every caller, in this
    // account too, whatever its IAM policies allow; EventBridge refuses the entry alone. A
    // caller without a principal ARN (no IAM identity) is refused as well: ArnNotEquals holds
    // when the key is missing.
    // The bus's ARN from its name: a policy on the bus cannot reference the bus's own ARN.
    const busArn = Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: eventBusName });
    const statements = [
      new PolicyStatement({
        sid: BUS_POLICY_SIDS.trackerSource,
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [busArn],
        conditions: {
          StringEquals: { 'events:source': TRACKER_SOURCE },
          ArnNotEquals: { 'aws:PrincipalArn': trackerPublisherArn },
        },
      }),
    ];
    // Registry events rename actors and move speakers between them: they rewrite what every
    // later statement means. Corrections and retractions rewrite what another publisher recorded
    // (events/README.md, "Who may correct"). So only the named publishers may send either.
    if (registryPublisherArns.length > 0) {
      statements.push(
        new PolicyStatement({
          sid: BUS_POLICY_SIDS.registry,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions: ['events:PutEvents'],
          resources: [busArn],
          conditions: {
            StringEquals: { 'events:detail-type': detailTypes('registry', 'correction') },
            ArnNotEquals: { 'aws:PrincipalArn': [...registryPublisherArns] },
          },
        }),
      );
    }
    // The bus's own Policy property rather than EventBusPolicy resources: the policy is created
    // and updated with the bus, so there is no moment when the bus takes events without it.
    (this.bus.node.defaultChild as CfnEventBus).policy = new PolicyDocument({ statements });

    // Only what the processor consumes is archived: replaying it rebuilds every position and
    // re-derives the outbound events, while archived alerts would be e-mailed a second time.
    this.archive = new Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      description: 'Inbound statements, stance changes and registry updates, for replay into the processor',
      eventPattern: eventPatternOf(PROCESSOR_INPUTS),
      retention: Duration.days(archiveRetentionDays),
    });

    this.registry = new CfnRegistry(this, 'SchemaRegistry', {
      registryName: `position-tracker-${stage}`,
      description: 'Event contracts of the negotiation position tracker (generated from the zod schemas in events/)',
    });

    const schemas = new Map<string, CfnSchema>();
    for (const contract of CONTRACTS) {
      schemas.set(
        contract.name,
        new CfnSchema(this, `Schema-${contract.name}`, {
          registryName: this.registry.attrRegistryName,
          schemaName: contract.name,
          type: REGISTRY_SCHEMA_TYPE,
          description: `${contract.detailType} v${contract.version} (${contract.direction})`,
          content: JSON.stringify(registrySchemaContent(contract)),
        }),
      );
    }
    this.schemas = schemas;
  }
}
