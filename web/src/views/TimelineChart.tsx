/** An actor's stance on one issue over said time: an SVG step line, each statement a point. */
import type { Evidence } from '../api/types.ts';
import { formatStance } from '../model/stance.ts';
import { timelineShape } from '../model/timeline.ts';
import { formatInstant, useI18n } from './i18n-context.ts';

export function TimelineChart({ statements, title }: { statements: readonly Evidence[]; title: string }) {
  const { lang } = useI18n();
  const shape = timelineShape(statements);
  return (
    <figure class="timeline">
      <svg viewBox={`0 0 ${shape.width} ${shape.height}`} role="img" aria-label={title}>
        <title>{title}</title>
        {shape.gridlines.map((line) => (
          <g key={line.stance} class="gridline">
            <line x1="32" x2={shape.width - 8} y1={line.y} y2={line.y} />
            <text x="4" y={line.y + 4}>{formatStance(line.stance)}</text>
          </g>
        ))}
        <path class="step" d={shape.path} />
        {shape.points.map((point) => (
          <circle key={point.statement.statementId} class="point" cx={point.x} cy={point.y} r="5" data-statement={point.statement.statementId}>
            <title>{`${formatInstant(point.statement.saidAt, lang)}: ${formatStance(point.statement.stance)}`}</title>
          </circle>
        ))}
      </svg>
      {shape.start === null || shape.end === null ? null : (
        <figcaption>
          <time dateTime={shape.start}>{formatInstant(shape.start, lang)}</time> – <time dateTime={shape.end}>{formatInstant(shape.end, lang)}</time>
        </figcaption>
      )}
    </figure>
  );
}
