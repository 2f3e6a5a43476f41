/**
 * `npm run replay`: replays the seed scenario through the pure core alone (no store, no bus) and
 * prints each issue's positions and the divergences left open, with their evidence.
 * Exits 1 if the open divergences are not the four the seed article implies.
 */
import { replaySeed } from './seed/replay.ts';
import { openDivergences } from '../functions/core/tracker.ts';

const EXPECTED = new Set([
  'actor-vs-bloc:ceasefire-before-peace-deal:russia:allies',
  'actor-vs-bloc:russia-as-guarantor:russia:allies',
  'actor-vs-bloc:western-troops-in-ukraine:russia:allies',
  'bloc-split:western-troops-in-ukraine:germany:allies',
]);

const signed = (stance: number): string => (stance > 0 ? `+${stance}` : String(stance));

const { registry, statements, issues } = replaySeed();
const byId = new Map(statements.map((s) => [s.statementId, s]));

for (const [issueId, replay] of issues) {
  const issue = registry.issues.get(issueId);
  console.log(`\n${issue?.title.en ?? issueId}\n${issue?.title.ar ?? ''}`);
  for (const position of replay.state.positions.values()) {
    const actor = registry.actors.get(position.actor);
    const hedged = position.hedged ? ' (hedged)' : '';
    console.log(`  ${signed(position.stance).padStart(2)}${hedged}  ${actor?.names.en ?? position.actor} / ${actor?.names.ar ?? ''}`);
  }
}

const open = openDivergences(issues);
console.log(`\nOpen divergences: ${open.length}`);
for (const episode of open) {
  const side = episode.bloc ? `${episode.actor} vs ${episode.bloc}` : episode.actor;
  console.log(`\n* ${episode.kind} on ${episode.issue}: ${side} (${signed(episode.actorStance)} vs ${signed(episode.otherStance)}, gap ${episode.gap})`);
  for (const id of episode.evidence.actor) {
    const statement = byId.get(id);
    console.log(`    ${statement?.speaker ?? statement?.actor}, ${statement?.saidAt}: «${statement?.quote?.text ?? statement?.reason}»`);
  }
}

const unexpected = open.filter((e) => !EXPECTED.has(e.divergenceId)).map((e) => e.divergenceId);
const missing = [...EXPECTED].filter((id) => !open.some((e) => e.divergenceId === id));
if (unexpected.length > 0 || missing.length > 0) {
  console.error(`\nUnexpected: ${unexpected.join(', ') || 'none'}; missing: ${missing.join(', ') || 'none'}`);
  process.exit(1);
}
