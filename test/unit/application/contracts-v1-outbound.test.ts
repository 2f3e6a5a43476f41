import { describe, expect, it } from 'vitest';
import { TRACKER_SOURCE } from '../../../events/common.ts';
import { statementRecordedV1 } from '../../../events/inbound/statement-recorded.v1.ts';
import { positionChangedV1 } from '../../../events/outbound/position-changed.v1.ts';
import { POSITIONS_CONVERGED, positionsConvergedV1, positionsDivergedV1 } from '../../../events/outbound/divergence-alert.v1.ts';
import { MAX_EVIDENCE_PER_SIDE } from '../../../events/outbound/evidence.ts';
import { entrySize } from '../../../functions/adapters/eventbridge/event-publisher.ts';
import {
  MAX_ALERT_DETAIL_BYTES, alertEvidenceIds, convergedDetail, divergedDetail, fitEvidence, positionChangedDetail, toEvidence,
} from '../../../functions/application/contracts-v1.ts';
import { replayIssue } from '../../../functions/core/tracker.ts';
import type { ClosedTransition, Episode, OpenedTransition, StatementRecord } from '../../../functions/core/types.ts';
import { FILLERS, maxId, maxQuote, maxSource, type Filler } from '../../support/max-size.ts';
import { ISSUE, at, makeRegistry, said } from '../core/helpers.ts';

/** Diacritics, a tatweel, a zero-width non-joiner and an alef with hamza: what a re-encoding would damage. */
const RUTTE_AR = 'قالَ روته: «ليسَ لروسيا حقُّ النقـض على نشر القوات» \u200cأيضاً';
const KREMLIN_AR = 'الكرملين: لن نقبل بأيّ قوات غربية في أوكرانيا';

const registry = makeRegistry({
  issues: [ISSUE],
  blocs: { allies: ['nato', 'france', 'germany'] },
  watches: [{ actor: 'russia', bloc: 'allies' }],
});

const byId = (statements: readonly StatementRecord[]) => new Map(statements.map((s) => [s.statementId, s] as const));

describe('positionChangedDetail', () => {
  it('builds a Position Changed detail that satisfies its contract', () => {
    // Prepare
    const statements = [
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 0 }),
      said({ id: 'ru2', actor: 'russia', stance: -2, at: 5, quote: { text: KREMLIN_AR, lang: 'ar', translation: { text: 'No Western troops', lang: 'en' } } }),
    ];
    const { positionChanges } = replayIssue(ISSUE, statements, registry);

    // Act
    const first = positionChangedDetail(positionChanges[0]!, statements[0]!);
    const second = positionChangedDetail(positionChanges[1]!, statements[1]!);

    // Assess
    expect(positionChangedV1.parse(first)).toEqual(first);
    expect(positionChangedV1.parse(second)).toEqual(second);
    expect(first.previous).toBeNull();
    expect(second).toMatchObject({ previous: { statementId: 'ru1', stance: -1 }, current: { statementId: 'ru2', stance: -2 } });
    expect(Buffer.from(second.evidence.quote!.text, 'utf8')).toEqual(Buffer.from(KREMLIN_AR, 'utf8'));
  });

  it('refuses evidence that is not the statement behind the change', () => {
    // Prepare
    const statements = [said({ id: 'ru1', actor: 'russia', stance: -1, at: 0 }), said({ id: 'ru2', actor: 'russia', stance: -2, at: 5 })];
    const { positionChanges } = replayIssue(ISSUE, statements, registry);

    // Act
    const act = () => positionChangedDetail(positionChanges[0]!, statements[1]!);

    // Assess
    expect(act).toThrow(/not the statement behind/);
  });
});

describe('divergedDetail and convergedDetail', () => {
  const statements = [
    said({ id: 'nato1', actor: 'nato', stance: 2, at: 0, quote: { text: RUTTE_AR, lang: 'ar' } }),
    said({ id: 'fr1', actor: 'france', stance: 2, at: 1 }),
    said({ id: 'de1', actor: 'germany', stance: 1, at: 2 }),
    said({ id: 'ru1', actor: 'russia', stance: -2, at: 3, quote: { text: KREMLIN_AR, lang: 'ar' } }),
    said({ id: 'ru2', actor: 'russia', stance: -2, at: 4 }),
    said({ id: 'ru3', actor: 'russia', stance: 1, at: 5 }),
  ];
  const replay = replayIssue(ISSUE, statements, registry);
  const opened = replay.transitions.find((t): t is OpenedTransition => t.type === 'opened' && t.episode.kind === 'actor-vs-bloc')!;
  const closed = replay.transitions.find((t): t is ClosedTransition => t.type === 'closed' && t.episode.kind === 'actor-vs-bloc')!;

  it('builds a Positions Diverged detail that satisfies its contract, with the stances at opening', () => {
    // Act
    const detail = divergedDetail(opened, byId(statements));

    // Assess
    expect(positionsDivergedV1.parse(detail)).toEqual(detail);
    expect(detail).toMatchObject({
      schemaVersion: '1', alertId: opened.alertId, episodeId: opened.episode.episodeId, kind: 'actor-vs-bloc',
      issue: ISSUE, actor: 'russia', bloc: 'allies', actorStance: -2, otherStance: 2, gap: 4, threshold: 2, openedAt: at(3),
    });
  });

  it('carries the evidence latest first, with quotes byte-exact', () => {
    // Act
    const detail = positionsDivergedV1.parse(JSON.parse(JSON.stringify(divergedDetail(opened, byId(statements)))));

    // Assess
    expect(detail.evidence.actor.map((e) => e.statementId)).toEqual(['ru1']);
    expect(detail.evidence.other.map((e) => e.statementId)).toEqual(['de1', 'fr1', 'nato1']);
    expect(Buffer.from(detail.evidence.actor[0]!.quote!.text, 'utf8')).toEqual(Buffer.from(KREMLIN_AR, 'utf8'));
    expect(Buffer.from(detail.evidence.other[2]!.quote!.text, 'utf8')).toEqual(Buffer.from(RUTTE_AR, 'utf8'));
    expect(detail.evidence.other[0]).not.toHaveProperty('recordedBy');
  });

  it('builds a Positions Converged detail with the stances and time of closing', () => {
    // Act
    const detail = convergedDetail(closed, byId(statements));

    // Assess
    expect(positionsConvergedV1.parse(detail)).toEqual(detail);
    expect(detail).toMatchObject({
      episodeId: opened.episode.episodeId, alertId: closed.alertId, actorStance: 1, otherStance: 2, gap: 1,
      openedAt: at(3), closedAt: at(5),
    });
    expect(detail.evidence.actor.map((e) => e.statementId)).toEqual(['ru3', 'ru2', 'ru1']);
  });

  it('accepts a bloc stance half-way between two scale points', () => {
    // Prepare
    const even = [
      said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }),
      said({ id: 'de1', actor: 'germany', stance: 1, at: 1 }),
      said({ id: 'ru1', actor: 'russia', stance: -1, at: 2 }),
    ];
    const transition = replayIssue(ISSUE, even, registry).transitions[0] as OpenedTransition;

    // Act
    const detail = divergedDetail(transition, byId(even));

    // Assess
    expect(positionsDivergedV1.parse(detail)).toMatchObject({ otherStance: 1.5, gap: 2.5 });
  });

  it('caps the evidence of each side, keeping the latest', () => {
    // Prepare
    const many = [
      said({ id: 'fr0', actor: 'france', stance: 2, at: 0 }),
      ...Array.from({ length: 14 }, (_, i) => said({ id: `ru${String(i).padStart(2, '0')}`, actor: 'russia', stance: -2, at: 1 + i })),
    ];
    const replayed = replayIssue(ISSUE, many, registry);
    const open = replayed.state.open.values().next().value!;

    // Act
    const detail = divergedDetail({ type: 'opened', alertId: 'al-test', episode: open }, byId(many));

    // Assess
    expect(open.evidence.actor).toHaveLength(14);
    expect(detail.evidence.actor).toHaveLength(MAX_EVIDENCE_PER_SIDE);
    expect(detail.evidence.actor[0]?.statementId).toBe('ru13');
    expect(alertEvidenceIds(open).actor.at(-1)).toBe('ru04');
    expect(positionsDivergedV1.safeParse(detail).success).toBe(true);
  });

  it('refuses to publish without a statement behind the alert', () => {
    // Prepare
    const withoutRutte = byId(statements.filter((s) => s.statementId !== 'nato1'));

    // Act
    const act = () => divergedDetail(opened, withoutRutte);

    // Assess
    expect(act).toThrow(/nato1/);
  });
});

describe('toEvidence', () => {
  it('keeps the reason of a stance change and leaves out absent fields', () => {
    // Prepare
    const change: StatementRecord = {
      statementId: 'chg-1', kind: 'stance-change', actor: 'germany', issue: ISSUE, stance: 1, hedged: true,
      reason: 'Bundestag vote', saidAt: at(0), source: { outlet: 'Desk' }, recordedBy: 'editor',
    };

    // Act
    const evidence = toEvidence(change);

    // Assess
    expect(evidence).toEqual({
      statementId: 'chg-1', kind: 'stance-change', actor: 'germany', issue: ISSUE, stance: 1, hedged: true,
      reason: 'Bundestag vote', saidAt: at(0), source: { outlet: 'Desk' },
    });
  });
});

describe('an alert always fits one EventBridge entry', () => {
  /** EventBridge's entry limit, read the strict way ("256 KB" as 256,000 bytes). */
  const ENTRY_LIMIT = 256_000;

  /** `count` statements by `actor` at the contract's maxima, each one a Statement Recorded the contract accepts. */
  const maxSizeStatements = (actor: string, count: number, filler: Filler, from: number): StatementRecord[] =>
    Array.from({ length: count }, (_, i) => {
      const statement = { ...said({ id: maxId(actor, i), actor, stance: 2, at: from + i, quote: maxQuote(filler) }), source: maxSource(filler) };
      const { kind: _kind, actor: _actor, ...detail } = statement;
      expect(statementRecordedV1.safeParse({ schemaVersion: '1', ...detail }).success).toBe(true);
      return statement;
    });

  const closedWith = (actorSide: readonly StatementRecord[], otherSide: readonly StatementRecord[]): ClosedTransition => {
    const episode: Episode = {
      episodeId: 'ep-0123456789abcdef0123', divergenceId: `actor-vs-bloc:${ISSUE}:russia:allies`, kind: 'actor-vs-bloc',
      issue: ISSUE, actor: 'russia', bloc: 'allies', threshold: 2, status: 'closed',
      openedBy: actorSide[0]!.statementId, openedAt: actorSide[0]!.saidAt,
      closedBy: actorSide.at(-1)!.statementId, closedAt: actorSide.at(-1)!.saidAt,
      actorStance: 1, otherStance: 2, gap: 1,
      evidence: { actor: actorSide.map((s) => s.statementId), other: otherSide.map((s) => s.statementId) },
    };
    return { type: 'closed', alertId: 'al-0123456789abcdef0123-closed', episode };
  };

  const entryOf = (detail: unknown) => ({ Source: TRACKER_SOURCE, DetailType: POSITIONS_CONVERGED, Detail: JSON.stringify(detail) });

  it.each(Object.keys(FILLERS) as Filler[])('ten maximum-size statements a side (%s text) make one entry, the rest counted', (filler) => {
    // Prepare: 14 on the actor's side (four beyond the ten an event carries), ten on the other.
    const russia = maxSizeStatements('russia', 14, filler, 100);
    const allies = maxSizeStatements('france', 10, filler, 0);
    const everything = byId([...russia, ...allies]);
    const transition = closedWith(russia, allies);
    const uncapped = { ...convergedDetail(transition, everything), evidence: {
      actor: [...russia].reverse().slice(0, MAX_EVIDENCE_PER_SIDE).map(toEvidence), other: [...allies].reverse().map(toEvidence),
    } };

    // Act
    const detail = convergedDetail(transition, everything);

    // Assess: within EventBridge's limit as EventBridge counts it, and a valid Positions Converged.
    expect(entrySize(entryOf(uncapped))).toBeGreaterThan(ENTRY_LIMIT);
    expect(entrySize(entryOf(detail))).toBeLessThanOrEqual(ENTRY_LIMIT);
    expect(Buffer.byteLength(JSON.stringify(detail), 'utf8')).toBeLessThanOrEqual(MAX_ALERT_DETAIL_BYTES);
    expect(positionsConvergedV1.parse(detail)).toEqual(detail);
    // Each side keeps its latest statements, and says how many it leaves out.
    const { actor, other } = detail.evidence;
    expect(actor.length).toBeGreaterThan(0);
    expect(other.length).toBeGreaterThan(0);
    expect(actor.map((e) => e.statementId)).toEqual([...russia].reverse().slice(0, actor.length).map((s) => s.statementId));
    expect(other.map((e) => e.statementId)).toEqual([...allies].reverse().slice(0, other.length).map((s) => s.statementId));
    expect(detail.evidenceOmitted).toEqual({ actor: 14 - actor.length, other: 10 - other.length });
    // Nothing is left out that would have fitted: one more statement on either side is too many.
    const withOneMore = (side: 'actor' | 'other', next: StatementRecord) =>
      Buffer.byteLength(JSON.stringify({ ...detail, evidence: { ...detail.evidence, [side]: [...detail.evidence[side], toEvidence(next)] } }), 'utf8');
    expect(withOneMore('actor', [...russia].reverse()[actor.length]!)).toBeGreaterThan(MAX_ALERT_DETAIL_BYTES);
    expect(withOneMore('other', [...allies].reverse()[other.length]!)).toBeGreaterThan(MAX_ALERT_DETAIL_BYTES);
    // Quotes that travel are whole and byte-exact.
    expect(Buffer.from(actor[0]!.quote!.text, 'utf8').equals(Buffer.from(russia.at(-1)!.quote!.text, 'utf8'))).toBe(true);
  });

  it('leaves out a statement too large to travel at all, and still fits', () => {
    // Prepare: an http(s) URL has no length limit in the contract; this one takes most of an entry.
    const [huge] = maxSizeStatements('russia', 1, 'arabic', 0).map((s) => ({ ...s, source: { outlet: 'Wire', url: `https://example.org/${'a'.repeat(240_000)}` } }));
    const allies = maxSizeStatements('france', 3, 'arabic', 10);
    const transition = closedWith([huge!], allies);

    // Act
    const detail = convergedDetail(transition, byId([huge!, ...allies]));

    // Assess
    expect(entrySize(entryOf(detail))).toBeLessThanOrEqual(ENTRY_LIMIT);
    expect(detail.evidence.actor).toEqual([]);
    expect(detail.evidence.other).toHaveLength(3);
    expect(detail.evidenceOmitted).toEqual({ actor: 1, other: 0 });
  });

  it('counts nothing as left out when everything fits, and leaves a fitted detail as it is', () => {
    // Prepare
    const small = [said({ id: 'fr1', actor: 'france', stance: 2, at: 0 }), said({ id: 'ru1', actor: 'russia', stance: -2, at: 1 })];
    const large = maxSizeStatements('russia', 12, 'control', 0);

    // Act
    const opened = divergedDetail(replayIssue(ISSUE, small, registry).transitions[0] as OpenedTransition, byId(small));
    const big = convergedDetail(closedWith(large, []), byId(large));

    // Assess
    expect(opened.evidenceOmitted).toEqual({ actor: 0, other: 0 });
    expect(fitEvidence(opened)).toEqual(opened);
    expect(big.evidenceOmitted!.actor).toBeGreaterThan(2);
    expect(fitEvidence(big)).toEqual(big);
  });

  it('fits an alert recorded before evidence was capped, adding what it leaves out to what was already left out', () => {
    // Prepare: as stored by an earlier version: ten statements on one side and six on the other, no count.
    const russia = maxSizeStatements('russia', 10, 'astral', 10);
    const allies = maxSizeStatements('france', 6, 'astral', 0);
    const { evidenceOmitted: _none, ...legacy } = {
      ...convergedDetail(closedWith(russia, allies), byId([...russia, ...allies])),
      evidence: { actor: [...russia].reverse().map(toEvidence), other: [...allies].reverse().map(toEvidence) },
    };

    // Act
    const fitted = fitEvidence(legacy);

    // Assess
    expect(entrySize(entryOf(legacy))).toBeGreaterThan(ENTRY_LIMIT);
    expect(entrySize(entryOf(fitted))).toBeLessThanOrEqual(ENTRY_LIMIT);
    expect(fitted.evidenceOmitted).toEqual({ actor: 10 - fitted.evidence.actor.length, other: 6 - fitted.evidence.other.length });
  });
});
