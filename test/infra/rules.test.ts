/**
 * The deployed EventBridge rules are the shared definitions from events/rules.ts (the local bus
 * routes with the same ones), and each one routes exactly the events it is meant for.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACTS, POSITION_CHANGED, POSITIONS_CONVERGED, POSITIONS_DIVERGED, STANCE_CHANGED, STATEMENT_RECORDED, STATEMENT_REVISED } from '../../events/catalog.ts';
import { ARCHIVE_SOURCE, DESK_SOURCE, TRACKER_SOURCE } from '../../events/common.ts';
import { positionsConvergedV1, positionsDivergedV1 } from '../../events/outbound/divergence-alert.v1.ts';
import { positionChangedV1 } from '../../events/outbound/position-changed.v1.ts';
import { statementRevisedV1 } from '../../events/outbound/statement-revised.v1.ts';
import { stanceChangedV1 } from '../../events/inbound/stance-changed.v1.ts';
import {
  ALERTS_TO_NOTIFIER,
  ARCHIVE_TO_PROCESSOR,
  INBOUND_TO_PROCESSOR,
  LIVE_PROCESSOR_RULES,
  PROCESSOR_INPUTS,
  POSITION_CHANGES_TO_SNAPSHOTS,
  TRACKER_CHANGES_TO_FEEDS,
  PROCESSOR_RULES,
  RULES,
  TRACKER_SOURCED_INPUTS_TO_PROCESSOR,
  UNMATCHED_TO_PROCESSOR,
  type RuleDefinition,
} from '../../events/rules.ts';
import { seedRegistryEvents } from '../../local/seed/seed-events.ts';
import { loadSeedSamples } from '../../local/seed/seed-files.ts';
import { DEPLOYED_RULES } from '../../infra/constructs/bus-rules.ts';
import { matchesEventPattern } from '../../local/bus/event-pattern.ts';
import type { EventBridgeEvent } from '../../local/bus/local-event-bus.ts';
import { resourcesOf, synthTracker, type SynthesizedTracker } from './synth.ts';

type BusEvent = EventBridgeEvent;

let sequence = 0;
/** What EventBridge delivers to a rule for an entry put on the bus. */
const busEvent = (source: string, detailType: string, detail: Record<string, unknown>): BusEvent => ({
  version: '0',
  id: `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`,
  'detail-type': detailType,
  source,
  account: '123456789012',
  time: '2025-09-04T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail,
});

const evidence = {
  statementId: 'seed-03-russia-western-troops-in-ukraine',
  kind: 'statement',
  actor: 'russia',
  speaker: 'russian-government',
  issue: 'western-troops-in-ukraine',
  stance: -2,
  hedged: false,
  saidAt: '2025-09-04T10:00:00+03:00',
  source: { outlet: 'seed article' },
};

const alertDetail = {
  schemaVersion: '1',
  alertId: 'alert-1',
  episodeId: 'episode-1',
  divergenceId: 'actor-vs-bloc:western-troops-in-ukraine:russia:allies',
  kind: 'actor-vs-bloc',
  issue: 'western-troops-in-ukraine',
  actor: 'russia',
  bloc: 'allies',
  actorStance: -2,
  otherStance: 2,
  gap: 4,
  threshold: 2,
  openedAt: '2025-09-04T10:00:00+03:00',
  evidence: { actor: [evidence], other: [] },
};

/** Outbound events are built here and checked against their contracts, so they stay realistic. */
const outbound = {
  positionChanged: busEvent(
    TRACKER_SOURCE,
    POSITION_CHANGED,
    positionChangedV1.parse({
      schemaVersion: '1',
      changeId: 'western-troops-in-ukraine:russia:seed-03',
      issue: 'western-troops-in-ukraine',
      actor: 'russia',
      previous: null,
      current: { stance: -2, hedged: false, statementId: evidence.statementId, saidAt: evidence.saidAt },
      evidence,
    }),
  ),
  diverged: busEvent(TRACKER_SOURCE, POSITIONS_DIVERGED, positionsDivergedV1.parse(alertDetail)),
  converged: busEvent(
    TRACKER_SOURCE,
    POSITIONS_CONVERGED,
    positionsConvergedV1.parse({ ...alertDetail, closedAt: '2025-09-05T10:00:00Z' }),
  ),
  statementRevised: busEvent(
    TRACKER_SOURCE,
    STATEMENT_REVISED,
    statementRevisedV1.parse({
      schemaVersion: '1',
      revisionId: 'corr-russia-troops-stance',
      kind: 'correction',
      statementId: evidence.statementId,
      outcome: 'applied',
      changed: ['stance'],
      reason: 'The stance was misread',
      revisedAt: '2025-09-05T09:00:00Z',
      recordedBy: 'standards-desk',
      status: 'standing',
      redacted: false,
      issue: 'western-troops-in-ukraine',
      statement: evidence,
    }),
  ),
};

const inbound = {
  statements: loadSeedSamples().map(({ file, event }) => ({ file, event: busEvent(event.source, event['detail-type'], event.detail) })),
  stanceChanged: busEvent(
    DESK_SOURCE,
    STANCE_CHANGED,
    stanceChangedV1.parse({
      schemaVersion: '1',
      changeId: 'desk-germany-troops-1',
      actor: 'germany',
      issue: 'western-troops-in-ukraine',
      stance: 1,
      effectiveAt: '2025-09-10T09:00:00Z',
      reason: 'Bundestag motion',
      source: { outlet: 'Bundestag' },
      recordedBy: 'desk',
    }),
  ),
  registry: seedRegistryEvents(DESK_SOURCE).map(({ event }) => busEvent(event.source, event['detail-type'], event.detail)),
};

/**
 * Look-alikes: the tracker's source on an inbound type, a publisher's on an outbound one. They must
 * reach no subscriber, but the processor, which quarantines them as `not-an-input`.
 */
const spoofed = {
  statementFromTracker: busEvent(TRACKER_SOURCE, STATEMENT_RECORDED, inbound.statements[0]!.event.detail),
  registrationFromTracker: busEvent(TRACKER_SOURCE, inbound.registry[0]!['detail-type'], inbound.registry[0]!.detail),
  alertFromDesk: busEvent(DESK_SOURCE, POSITIONS_DIVERGED, outbound.diverged.detail),
  positionChangeFromDesk: busEvent(DESK_SOURCE, POSITION_CHANGED, outbound.positionChanged.detail),
};

/** Corrections and retractions, as a desk publishes them: inputs of the processor, which applies them. */
const revisions = ['01-ukraine-russia-as-guarantor-corrected.json', '02-putin-ceasefire-before-peace-deal-retracted.json'].map((file) => {
  const { source, 'detail-type': detailType, detail } = JSON.parse(readFileSync(new URL(`../../events/samples/corrections/${file}`, import.meta.url), 'utf8'));
  return busEvent(source, detailType, detail);
});

const revisionFromTracker = busEvent(TRACKER_SOURCE, revisions[1]!['detail-type'], revisions[1]!.detail);

/** Detail-types no contract describes, from publishers: quarantined as `unknown-detail-type`. */
const unknown = {
  misspelt: busEvent(DESK_SOURCE, 'Statement Recordet', inbound.statements[0]!.event.detail),
  foreign: busEvent('wire.ingest', 'Wire Story Filed', { slug: 'paris-summit' }),
};

/** A back-fill: the seed's statements and a correction as an archive import sends them, and a type no contract describes. */
const archived = {
  inputs: [...inbound.statements.map(({ event }) => busEvent(ARCHIVE_SOURCE, event['detail-type'], event.detail)), busEvent(ARCHIVE_SOURCE, revisions[0]!['detail-type'], revisions[0]!.detail)],
  unknown: busEvent(ARCHIVE_SOURCE, 'Archive Batch Started', { rows: 2_000 }),
};

/** The tracker's own event of a type it has no contract for: nobody's input, so routed nowhere. */
const trackerUnknown = busEvent(TRACKER_SOURCE, 'Tracker Heartbeat', {});

const allEvents: BusEvent[] = [
  ...inbound.statements.map(({ event }) => event),
  inbound.stanceChanged,
  ...inbound.registry,
  ...Object.values(outbound),
  ...Object.values(spoofed),
  ...Object.values(unknown),
  ...revisions,
  revisionFromTracker,
  trackerUnknown,
  ...archived.inputs,
  archived.unknown,
];

const meantFor = new Map<RuleDefinition, BusEvent[]>([
  [INBOUND_TO_PROCESSOR, [...inbound.statements.map(({ event }) => event), inbound.stanceChanged, ...inbound.registry, ...revisions]],
  [UNMATCHED_TO_PROCESSOR, [spoofed.alertFromDesk, spoofed.positionChangeFromDesk, unknown.misspelt, unknown.foreign, archived.unknown]],
  [TRACKER_SOURCED_INPUTS_TO_PROCESSOR, [spoofed.statementFromTracker, spoofed.registrationFromTracker, revisionFromTracker]],
  [ARCHIVE_TO_PROCESSOR, archived.inputs],
  [ALERTS_TO_NOTIFIER, [outbound.diverged, outbound.converged]],
  [POSITION_CHANGES_TO_SNAPSHOTS, [outbound.positionChanged, outbound.statementRevised]],
  [TRACKER_CHANGES_TO_FEEDS, [outbound.positionChanged, outbound.diverged, outbound.converged, outbound.statementRevised]],
]);

describe('EventBridge rules', () => {
  let synth: SynthesizedTracker;
  beforeAll(() => {
    synth = synthTracker({});
  });

  const deployedRule = (definition: RuleDefinition) => {
    const matches = Object.values(resourcesOf(synth.stateless, 'AWS::Events::Rule')).filter(
      (rule) => rule.Properties?.Description === definition.description,
    );
    expect(matches, `one deployed rule for ${definition.name}`).toHaveLength(1);
    return matches[0]!;
  };

  it('deploys exactly the rules that have a consumer', () => {
    // Prepare / Act
    const rules = resourcesOf(synth.stateless, 'AWS::Events::Rule');

    // Assess
    expect(Object.keys(rules)).toHaveLength(DEPLOYED_RULES.length);
    expect([...meantFor.keys()].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      [...DEPLOYED_RULES].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('has sample events for every inbound, correction and registry contract', () => {
    const covered = new Set(meantFor.get(INBOUND_TO_PROCESSOR)!.map((event) => event['detail-type']));
    for (const contract of CONTRACTS.filter((c) => c.direction !== 'outbound')) {
      expect(covered, contract.detailType).toContain(contract.detailType);
    }
    expect(inbound.statements.length).toBeGreaterThan(0);
  });

  it('deploys every shared rule definition: none is defined for a rule nobody creates', () => {
    expect(RULES.map((definition) => definition.name).sort()).toEqual(DEPLOYED_RULES.map((definition) => definition.name).sort());
  });

  describe.each(DEPLOYED_RULES.map((definition) => [definition.name, definition] as const))('%s', (_name, definition) => {
    it('deploys the pattern from events/rules.ts unchanged', () => {
      const rule = deployedRule(definition);

      expect(rule.Properties?.EventPattern).toEqual(definition.pattern);
      expect(rule.Properties?.State).toBe('ENABLED');
    });

    it('listens on the tracker bus, not the default bus', () => {
      const rule = deployedRule(definition);

      expect(rule.Properties?.EventBusName).toBeDefined();
      expect(JSON.stringify(rule.Properties?.EventBusName)).toContain('EventBus');
    });

    it('delivers to one SQS queue, with a dead-letter queue on the target', () => {
      const rule = deployedRule(definition);
      const targets = rule.Properties?.Targets as Array<Record<string, any>>;

      expect(targets).toHaveLength(1);
      expect(JSON.stringify(targets[0]!.Arn)).toMatch(/Queue/);
      expect(targets[0]!.DeadLetterConfig?.Arn).toBeDefined();
      expect(targets[0]!.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 });
    });

    it('matches the sample events it is meant for', () => {
      const rule = deployedRule(definition);

      for (const event of meantFor.get(definition)!) {
        expect(matchesEventPattern(rule.Properties?.EventPattern, event), `${event['detail-type']} from ${event.source}`).toBe(true);
      }
    });

    it('matches none of the other events', () => {
      const rule = deployedRule(definition);
      const wanted = new Set(meantFor.get(definition));

      for (const event of allEvents.filter((e) => !wanted.has(e))) {
        expect(matchesEventPattern(rule.Properties?.EventPattern, event), `${event['detail-type']} from ${event.source}`).toBe(false);
      }
    });
  });

  it('sends every sample statement to exactly one rule: the processor', () => {
    for (const { file, event } of inbound.statements) {
      const routed = DEPLOYED_RULES.filter((definition) => matchesEventPattern(definition.pattern, event)).map((d) => d.name);
      expect(routed, file).toEqual([INBOUND_TO_PROCESSOR.name]);
    }
  });

  it('sends every event not published by the tracker to the processor, through exactly one rule', () => {
    const fromOthers = allEvents.filter((event) => event.source !== TRACKER_SOURCE);

    for (const event of fromOthers) {
      const routed = PROCESSOR_RULES.filter((definition) => matchesEventPattern(definition.pattern, event)).map((d) => d.name);
      expect(routed, `${event['detail-type']} from ${event.source}`).toHaveLength(1);
    }
    expect(fromOthers.length).toBeGreaterThan(inbound.statements.length);
  });

  it('never hands the tracker its own output: none of its outbound events reaches a processor rule', () => {
    for (const event of [...Object.values(outbound), trackerUnknown]) {
      const routed = PROCESSOR_RULES.filter((definition) => matchesEventPattern(definition.pattern, event)).map((d) => d.name);
      expect(routed, event['detail-type']).toEqual([]);
    }
  });

  it('delivers what reaches the processor to its live queue, and an archive import\'s inputs to its archive queue', () => {
    const targetOf = (definition: RuleDefinition) => {
      const rule = Object.values(resourcesOf(synth.stateless, 'AWS::Events::Rule')).find((r) => r.Properties?.Description === definition.description);
      return JSON.stringify((rule?.Properties?.Targets as Array<Record<string, unknown>>)[0]!['Arn']);
    };

    expect(new Set(LIVE_PROCESSOR_RULES.map(targetOf)).size).toBe(1);
    expect(targetOf(INBOUND_TO_PROCESSOR)).toMatch(/ProcessorQueue/);
    expect(targetOf(ARCHIVE_TO_PROCESSOR)).toMatch(/ProcessorArchiveQueue/);
    expect(PROCESSOR_RULES).toEqual([...LIVE_PROCESSOR_RULES, ARCHIVE_TO_PROCESSOR]);
  });

  it('archives exactly what the processor consumes, so a replay rebuilds state without re-sending alerts', () => {
    const archives = Object.values(resourcesOf(synth.stateful, 'AWS::Events::Archive'));

    expect(archives).toHaveLength(1);
    expect(archives[0]!.Properties?.EventPattern).toEqual(PROCESSOR_INPUTS);
    // Both lanes' inputs: a back-fill is archived as a live statement is.
    for (const event of [...meantFor.get(INBOUND_TO_PROCESSOR)!, ...archived.inputs]) {
      expect(matchesEventPattern(PROCESSOR_INPUTS, event), `${event['detail-type']} from ${event.source}`).toBe(true);
    }
    expect(archives[0]!.Properties?.RetentionDays).toBe(synth.config.archiveRetentionDays);
  });
});
