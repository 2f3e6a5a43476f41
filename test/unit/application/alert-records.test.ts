import { describe, expect, it } from 'vitest';
import { POSITION_CHANGED } from '../../../events/catalog.ts';
import {
  convergedAlert, divergedAlert, evidenceIdsOf, outboundAlert, positionChangedEvent,
} from '../../../functions/application/record/alert-records.ts';
import type { AlertRecord } from '../../../functions/application/ports.ts';
import { MAX_ALERT_DETAIL_BYTES } from '../../../functions/application/contracts-v1.ts';
import { positionChangeId } from '../../../functions/core/ids.ts';
import { applyToPosition } from '../../../functions/core/positions.ts';
import { isStatusTransition, replayIssue } from '../../../functions/core/tracker.ts';
import type { StatementRecord } from '../../../functions/core/types.ts';
import { ISSUE, makeRegistry, said } from '../core/helpers.ts';

const registry = makeRegistry({ blocs: { allies: ['france', 'uk', 'germany'] }, watches: [{ actor: 'russia', bloc: 'allies' }] });
const fr1 = said({ id: 'fr1', actor: 'france', stance: 2, at: 0, quote: { text: 'فرنسا مستعدة لإرسال قوات', lang: 'ar' } });
const ru1 = said({ id: 'ru1', actor: 'russia', stance: 0, at: 10 });
const ru2 = said({ id: 'ru2', actor: 'russia', stance: 1, at: 30 });
const statements = new Map([fr1, ru1, ru2].map((s) => [s.statementId, s] as const));
const [opening, closing] = replayIssue(ISSUE, [fr1, ru1, ru2], registry).transitions.filter(isStatusTransition);
const RECORDED_AT = '2026-03-01T00:00:00.000Z';

describe('divergedAlert and convergedAlert', () => {
  it('record the opening with the stances at opening and its quotes byte-exact, under the id given', () => {
    // Act
    const opened = divergedAlert(opening!.episode, 'opened', { alertId: opening!.alertId, statements, recordedAt: RECORDED_AT });
    const reinstated = divergedAlert(opening!.episode, 'reinstated', { alertId: 'al-correction-reinstated', statements, recordedAt: RECORDED_AT });

    // Assess
    expect(opened).toMatchObject({ issue: ISSUE, episodeId: opening!.episode.episodeId, transition: 'opened', detailType: 'Positions Diverged', recordedAt: RECORDED_AT });
    expect(opened.detail).toMatchObject({ actorStance: 0, otherStance: 2, gap: 2, openedAt: ru1.saidAt });
    expect(opened.detail.evidence.other.map((e) => e.quote?.text)).toEqual([fr1.quote?.text]);
    expect(reinstated.detail).toEqual({ ...opened.detail, alertId: 'al-correction-reinstated' });
  });

  it('record the closing with its closing time, and a withdrawal as a closing under its own id', () => {
    // Act
    const closed = convergedAlert(closing!.episode, 'closed', { alertId: 'al-closed', statements, recordedAt: RECORDED_AT });
    const withdrawn = convergedAlert({ ...closing!.episode, closedAt: ru1.saidAt }, 'withdrawn', { alertId: 'al-withdrawn', statements, recordedAt: RECORDED_AT });

    // Assess
    expect(closed).toMatchObject({ transition: 'closed', detailType: 'Positions Converged', detail: { closedAt: ru2.saidAt, gap: 1 } });
    expect(closed.detail.evidence.actor.map((e) => e.statementId)).toEqual(['ru2', 'ru1']);
    expect(withdrawn).toMatchObject({ alertId: 'al-withdrawn', transition: 'withdrawn', detail: { alertId: 'al-withdrawn', closedAt: ru1.saidAt } });
  });

  it('name, in evidenceIdsOf, exactly the statements an alert quotes', () => {
    // Act
    const ids = evidenceIdsOf(closing!.episode);

    // Assess
    expect(new Set(ids)).toEqual(new Set(['ru1', 'ru2', 'fr1']));
    expect(() => convergedAlert(closing!.episode, 'closed', { alertId: 'x', statements: new Map([[ru2.statementId, ru2]]), recordedAt: RECORDED_AT })).toThrow(/ru1/);
  });
});

describe('outboundAlert', () => {
  it('puts the alert on the bus as recorded when it fits, and fitted when an earlier version recorded it too large', () => {
    // Prepare
    const opened = divergedAlert(opening!.episode, 'opened', { alertId: 'al-opened', statements, recordedAt: RECORDED_AT });
    const huge = { text: 'ك'.repeat(40_000), lang: 'ar' as const };
    const oversized = { ...opened, detail: { ...opened.detail, evidence: { actor: Array.from({ length: 10 }, () => ({ ...opened.detail.evidence.actor[0]!, quote: huge })), other: [] } } } as AlertRecord;

    // Act
    const fitting = outboundAlert(opened);
    const fitted = outboundAlert(oversized);

    // Assess
    expect(fitting).toEqual({ detailType: 'Positions Diverged', detail: opened.detail });
    expect(Buffer.byteLength(JSON.stringify(fitted.detail), 'utf8')).toBeLessThanOrEqual(MAX_ALERT_DETAIL_BYTES);
    expect((fitted.detail as { evidenceOmitted: { actor: number } }).evidenceOmitted.actor).toBeGreaterThan(0);
  });
});

describe('positionChangedEvent', () => {
  const positionAfter = (...delivered: StatementRecord[]) =>
    delivered.reduce((position, s) => applyToPosition(position, s).position, undefined as ReturnType<typeof applyToPosition>['position']);

  it("announces the statement that is its actor's current position, with the one said before it", () => {
    // Act: Russia's second statement, delivered before its first.
    const event = positionChangedEvent(ru2, positionAfter(ru2, ru1));

    // Assess
    expect(event?.detailType).toBe(POSITION_CHANGED);
    expect(event?.detail).toMatchObject({
      changeId: positionChangeId(ISSUE, 'russia', 'ru2'),
      previous: { statementId: 'ru1', stance: 0 },
      current: { statementId: 'ru2', stance: 1 },
      evidence: { statementId: 'ru2' },
    });
  });

  it('announces nothing for a statement said before the current one, or for an actor without a position', () => {
    // Act
    const older = positionChangedEvent(ru1, positionAfter(ru1, ru2));
    const none = positionChangedEvent(ru1, undefined);

    // Assess
    expect(older).toBeUndefined();
    expect(none).toBeUndefined();
  });
});
