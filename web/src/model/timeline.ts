/**
 * The geometry of an actor's timeline on one issue: a step line of the stance over said time, each
 * statement a point, in a viewBox the SVG scales. Pure, so the shape is tested without a browser.
 */
import type { Evidence } from '../api/types.ts';

export interface TimelinePoint {
  x: number;
  y: number;
  statement: Evidence;
}

export interface TimelineShape {
  width: number;
  height: number;
  points: TimelinePoint[];
  /** The SVG path of the step line (`M x y H x V y …`), empty with no statement. */
  path: string;
  /** y of each stance gridline, -2..+2. */
  gridlines: Array<{ stance: number; y: number }>;
  start: string | null;
  end: string | null;
}

export const TIMELINE_WIDTH = 480;
export const TIMELINE_HEIGHT = 160;
const PAD_X = 36;
const PAD_Y = 16;

export const timelineShape = (statements: readonly Evidence[]): TimelineShape => {
  const sorted = [...statements].sort((a, b) => a.saidAt.localeCompare(b.saidAt) || a.statementId.localeCompare(b.statementId));
  const yOf = (stance: number): number => PAD_Y + ((2 - stance) / 4) * (TIMELINE_HEIGHT - 2 * PAD_Y);
  const times = sorted.map((statement) => Date.parse(statement.saidAt));
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  const span = last - first;
  const xOf = (time: number): number => (span === 0 ? TIMELINE_WIDTH / 2 : PAD_X + ((time - first) / span) * (TIMELINE_WIDTH - 2 * PAD_X));
  const points = sorted.map((statement, at) => ({ x: xOf(times[at] ?? first), y: yOf(statement.stance), statement }));
  const path = points
    .map((point, at) => (at === 0 ? `M ${point.x.toFixed(1)} ${point.y.toFixed(1)}` : `H ${point.x.toFixed(1)} V ${point.y.toFixed(1)}`))
    .join(' ');
  const tail = points.length > 0 ? ` H ${(TIMELINE_WIDTH - PAD_X / 2).toFixed(1)}` : '';
  return {
    width: TIMELINE_WIDTH,
    height: TIMELINE_HEIGHT,
    points,
    path: points.length > 0 ? `${path}${tail}` : '',
    gridlines: [-2, -1, 0, 1, 2].map((stance) => ({ stance, y: yOf(stance) })),
    start: sorted[0]?.saidAt ?? null,
    end: sorted[sorted.length - 1]?.saidAt ?? null,
  };
};
