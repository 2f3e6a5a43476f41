/**
 * The tracker's custom event bus, the archive that makes a replay possible, and a schema
 * registry with one schema per event contract so publishers can discover and bind to them.
 */
import { Duration } from 'aws-cdk-lib';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { CONTRACTS } from '../../events/catalog.ts';
import { INBOUND_TO_PROCESSOR } from '../../events/rules.ts';
import { REGISTRY_SCHEMA_TYPE, registrySchemaContent } from '../registry-schemas.ts';
import { eventPatternOf } from './inbound-rules.ts';

export interface TrackerEventBusProps {
  stage: string;
  archiveRetentionDays: number;
}

export class TrackerEventBus extends Construct {
  readonly bus: EventBus;
  readonly archive: Archive;
  readonly registry: CfnRegistry;
  /** Keyed by contract name, e.g. `statement-recorded.v1`. */
  readonly schemas: ReadonlyMap<string, CfnSchema>;

  constructor(scope: Construct, id: string, { stage, archiveRetentionDays }: TrackerEventBusProps) {
    super(scope, id);

    // A stable name: publishers in other teams address the bus by it.
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: `position-tracker-${stage}`,
      description: 'Negotiation position tracker: statements in, position changes and divergence alerts out',
    });

    // Only what the processor consumes is archived: replaying it rebuilds every position and
    // re-derives the outbound events, while archived alerts would be e-mailed a second time.
    this.archive = new Archive(this, 'Archive', {
      sourceEventBus: this.bus,
      description: 'Inbound statements, stance changes and registry updates, for replay into the processor',
      eventPattern: eventPatternOf(INBOUND_TO_PROCESSOR),
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
