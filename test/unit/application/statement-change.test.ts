/** What recording a statement changed, as the change feed lists it (record/statement-change.ts). */
import { describe, expect, it } from 'vitest';
import { positionChangedEvent } from '../../../functions/application/record/alert-records.ts';
import { statementChangeOf } from '../../../functions/application/record/statement-change.ts';
import type { Position } from '../../../functions/core/types.ts';
import { ISSUE, said } from '../core/helpers.ts';

const earlier = said({ id: 'de-0', actor: 'germany', stance: -1, at: 0 });
const statement = said({ id: 'de-1', actor: 'germany', stance: 2, at: 5 });
const RECORDED = '2026-02-01T08:00:00.000Z';

const current = (s: typeof statement, previous?: typeof statement): Position => ({
  issue: s.issue, actor: s.actor, stance: s.stance, hedged: s.hedged, saidAt: s.saidAt, statementId: s.statementId,
  ...(previous === undefined ? {} : { previous: { stance: previous.stance, hedged: previous.hedged, saidAt: previous.saidAt, statementId: previous.statementId } }),
});

describe('statementChangeOf', () => {
  it('is a position change under the id of the Position Changed it publishes, with the position it replaced', () => {
    const change = statementChangeOf(statement, current(statement, earlier), RECORDED);
    const published = positionChangedEvent(statement, current(statement, earlier))?.detail as { changeId: string };
    expect(change).toMatchObject({ kind: 'position-changed', changeId: published.changeId, recordedAt: RECORDED, issue: ISSUE });
    expect(change.changed).toMatchObject({ statementId: 'de-1', actor: 'germany', stance: 2, previous: { statementId: 'de-0', stance: -1 } });
  });

  it('is a statement applied, under the statement id, when the position rests on a statement said later', () => {
    const change = statementChangeOf(earlier, current(statement, earlier), RECORDED);
    expect(change).toMatchObject({ kind: 'statement-applied', changeId: 'de-0', issue: ISSUE });
    expect(change.changed).not.toHaveProperty('previous');
  });
});
