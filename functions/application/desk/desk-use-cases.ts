/**
 * The desk's two use cases. Sending: a request that passes the contracts goes on the bus as one
 * event, the processor's input like any other, so the processor stays the only writer of the
 * record. Previewing: the same request, read as the processor would resolve it, and what recording
 * it would change (preview.ts). Neither writes anything; a refusal lists every problem.
 */
import { UnresolvedReferenceError, ValidationError } from '../../core/errors.ts';
import type { FieldProblem } from '../../../events/validation.ts';
import { parseDeskRequest, sourceFor, type DeskSources } from './desk-request.ts';
import { previewEvent, type Preview, type PreviewDeps } from './preview.ts';

/** One event for the bus, its detail as JSON text. */
export interface DeskEntry {
  source: string;
  detailType: string;
  detail: string;
}

/** The bus as the desk sees it: one entry put, its event id back, or a throw (nothing half sent). */
export interface DeskPublisher {
  put(entry: DeskEntry): Promise<{ eventId: string }>;
}

export interface Accepted {
  eventId: string;
  detailType: string;
  source: string;
}

export type DeskOutcome<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export const submitDeskEvent = async (
  body: unknown,
  { publisher, sources }: { publisher: DeskPublisher; sources: DeskSources },
): Promise<DeskOutcome<Accepted>> => {
  const request = parseDeskRequest(body, sources);
  if (!request.ok) return request;
  const { detailType } = request.value.event;
  const source = sourceFor(detailType, sources);
  const { eventId } = await publisher.put({ source, detailType, detail: request.value.detailJson });
  return { ok: true, value: { eventId, detailType, source } };
};

/** The core names fields as the processor does (`detail.speaker`); the desk names them inside the detail. */
const insideDetail = (problems: readonly FieldProblem[]): FieldProblem[] =>
  problems.map((problem) => (problem.field.startsWith('detail.') ? { ...problem, field: problem.field.slice('detail.'.length) } : problem));

export const previewDeskEvent = async (
  body: unknown,
  { preview, sources }: { preview: PreviewDeps; sources: DeskSources },
): Promise<DeskOutcome<Preview>> => {
  const request = parseDeskRequest(body, sources);
  if (!request.ok) return request;
  try {
    return { ok: true, value: await previewEvent(request.value.event, preview) };
  } catch (error) {
    // What the processor would quarantine (an unknown speaker, an ambiguous alias), refused here with its fields.
    if (error instanceof UnresolvedReferenceError || error instanceof ValidationError) return { ok: false, problems: insideDetail(error.problems) };
    throw error;
  }
};
