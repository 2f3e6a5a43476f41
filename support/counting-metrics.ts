/** A metrics sink for handlers under test: name → total added, across every invocation. */
import type { MetricsSink } from '../functions/shared/observability.ts';

export const countingMetrics = (sink: Map<string, number>): MetricsSink => ({
  addMetric: (name, _unit, value) => void sink.set(name, (sink.get(name) ?? 0) + value),
});
