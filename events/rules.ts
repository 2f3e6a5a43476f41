/**
 * EventBridge rule patterns, defined once: the CDK stack creates rules from them and the local
 * bus routes with them.
 */
import { ARCHIVE_SOURCE, TRACKER_SOURCE } from './common.ts';
import { detailTypes, POSITION_CHANGED, POSITIONS_CONVERGED, POSITIONS_DIVERGED, STATEMENT_REVISED } from './catalog.ts';

export type EventPattern = Record<string, unknown>;

export interface RuleDefinition {
  /** Stable name, used as the construct id in CDK and the rule name locally. */
  name: string;
  description: string;
  pattern: EventPattern;
}

/** What the processor consumes: statements and stance changes, their corrections and retractions, registry updates. */
export const PROCESSOR_INPUT_TYPES: readonly string[] = detailTypes('inbound', 'correction', 'registry');

/** Every input the processor takes, from any publisher but the tracker: what the bus archives for a replay (both lanes). */
export const PROCESSOR_INPUTS: EventPattern = {
  source: [{ 'anything-but': [TRACKER_SOURCE] }],
  'detail-type': PROCESSOR_INPUT_TYPES,
};

/** Statements, stance changes, revisions and registry updates from any publisher but an archive import, to the processor queue. */
export const INBOUND_TO_PROCESSOR: RuleDefinition = {
  name: 'InboundToProcessor',
  description: 'Statements, stance changes, corrections, retractions and registry updates, from any publisher but the tracker itself and archive imports, to the processor queue',
  pattern: {
    source: [{ 'anything-but': [TRACKER_SOURCE, ARCHIVE_SOURCE] }],
    'detail-type': PROCESSOR_INPUT_TYPES,
  },
};

/**
 * The same inputs from an archive import (a back-fill), to the processor's archive queue: batches
 * of a hundred, gathered for up to two seconds, so the late statements of an issue settle by one
 * replay per hundred instead of per ten. A back-fill in reverse said order makes every statement
 * late, and each replay rewrites the episodes of the timeline's early part, so its cost is in the
 * number of replays (README, Benchmarks).
 */
export const ARCHIVE_TO_PROCESSOR: RuleDefinition = {
  name: 'ArchiveToProcessor',
  description: 'Statements, stance changes, corrections, retractions and registry updates from archive imports (back-fills), to the processor archive queue (large batches)',
  pattern: {
    source: [ARCHIVE_SOURCE],
    'detail-type': PROCESSOR_INPUT_TYPES,
  },
};

/**
 * Everything else a publisher sends, to the processor queue too, so that no event the bus accepts
 * vanishes: an unknown detail-type (a typo such as `Statement Recordet`, a contract the tracker
 * does not have) or an outbound type sent by someone else ends in quarantine with its reason,
 * where an editor can see it. Together with INBOUND_TO_PROCESSOR it matches every event whose
 * source is not the tracker's, each exactly once.
 */
export const UNMATCHED_TO_PROCESSOR: RuleDefinition = {
  name: 'UnmatchedToProcessor',
  description: 'Every event from any publisher but the tracker that no inbound, correction or registry contract describes, to the processor queue (quarantined there)',
  pattern: {
    source: [{ 'anything-but': [TRACKER_SOURCE] }],
    'detail-type': [{ 'anything-but': PROCESSOR_INPUT_TYPES }],
  },
};

/**
 * Inbound and registry types published under the tracker's own source, to the processor queue:
 * the tracker never sends them, so they are forgeries or a misconfigured publisher, quarantined
 * as `not-an-input` rather than dropped unseen.
 */
export const TRACKER_SOURCED_INPUTS_TO_PROCESSOR: RuleDefinition = {
  name: 'TrackerSourcedInputsToProcessor',
  description: 'Statements, stance changes, revisions and registry updates sent with the tracker\'s own source, to the processor queue (quarantined there)',
  pattern: {
    source: [TRACKER_SOURCE],
    'detail-type': PROCESSOR_INPUT_TYPES,
  },
};

/** The rules feeding the processor's live queue: every event not published by the tracker itself, but an archive import's inputs. */
export const LIVE_PROCESSOR_RULES: readonly RuleDefinition[] = [INBOUND_TO_PROCESSOR, UNMATCHED_TO_PROCESSOR, TRACKER_SOURCED_INPUTS_TO_PROCESSOR];

/** Every rule feeding the processor (its live queue and its archive queue): between them, every event not published by the tracker itself. */
export const PROCESSOR_RULES: readonly RuleDefinition[] = [...LIVE_PROCESSOR_RULES, ARCHIVE_TO_PROCESSOR];

/** The tracker's alert events, to the notifier (SNS with attributes, Slack). */
export const ALERTS_TO_NOTIFIER: RuleDefinition = {
  name: 'AlertsToNotifier',
  description: 'Positions Diverged / Converged published by the tracker, to the alert notifier',
  pattern: {
    source: [TRACKER_SOURCE],
    'detail-type': [POSITIONS_DIVERGED, POSITIONS_CONVERGED],
  },
};

/**
 * Position changes only, to the snapshot writer: a rule on every outbound event would also deliver
 * the alerts, which the writer has no use for and would have to reject.
 */
export const POSITION_CHANGES_TO_SNAPSHOTS: RuleDefinition = {
  name: 'PositionChangesToSnapshots',
  description: 'Position Changed and Statement Revised published by the tracker, to the snapshot writer',
  pattern: {
    source: [TRACKER_SOURCE],
    'detail-type': [POSITION_CHANGED, STATEMENT_REVISED],
  },
};

/**
 * Every change the tracker publishes, to the feed writer: a position change moves a matrix and a
' * timeline, an alert the live notes, a correction or retraction the timeline. The writer's queue batches them, so a burst is one write per issue.
 */
export const TRACKER_CHANGES_TO_FEEDS: RuleDefinition = {
  name: 'TrackerChangesToFeeds',
  description: 'Position Changed, Positions Diverged, Positions Converged and Statement Revised published by the tracker, to the feed writer',
  pattern: {
    source: [TRACKER_SOURCE],
    'detail-type': [POSITION_CHANGED, POSITIONS_DIVERGED, POSITIONS_CONVERGED, STATEMENT_REVISED],
  },
};

/** Every rule definition; each one is deployed (infra/constructs/bus-rules.ts) and routed by the local bus. */
export const RULES: readonly RuleDefinition[] = [
  ...PROCESSOR_RULES, ALERTS_TO_NOTIFIER, POSITION_CHANGES_TO_SNAPSHOTS, TRACKER_CHANGES_TO_FEEDS,
];
