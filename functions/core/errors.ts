/** Named domain errors. Each names the field at fault and the reason, so a rejection can be kept and read. */

export interface FieldProblem {
  /** Dotted path into the event, e.g. `detail.quote.lang`. */
  field: string;
  reason: string;
}

export const describeProblems = (problems: readonly FieldProblem[]): string =>
  problems.map((p) => `${p.field}: ${p.reason}`).join('; ');

/** The event does not satisfy its contract. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(readonly problems: readonly FieldProblem[]) {
    super(describeProblems(problems));
  }
}

/**
 * A registry record an event names, as the event wrote it: an id (`{ type: 'speaker', name: 'putin' }`)
 * or, for an actor or a speaker, any of its names or aliases (`قائد الكرملين`).
 */
export interface RegistryReference {
  type: 'actor' | 'speaker' | 'issue';
  name: string;
}

/** The event is well-formed but a record it names does not resolve to exactly one registry entry. */
export abstract class UnresolvedReferenceError extends Error {
  /**
   * @param references the records whose registration could resolve it, so a batch can tell a
   *   reference to a registration that failed beside it (retry) from one to nothing (quarantine).
   */
  constructor(
    readonly problems: readonly FieldProblem[],
    readonly references: readonly RegistryReference[] = [],
  ) {
    super(describeProblems(problems));
  }
}

/** The event names something the registry does not know. */
export class UnknownReferenceError extends UnresolvedReferenceError {
  override readonly name = 'UnknownReferenceError';
}

/** The event names a speaker or an actor by a name or an alias that two or more entries share. */
export class AmbiguousReferenceError extends UnresolvedReferenceError {
  override readonly name = 'AmbiguousReferenceError';
}

/** A statement said before the latest applied statement was passed to the in-order step. */
export class OutOfOrderError extends Error {
  override readonly name = 'OutOfOrderError';
  constructor(readonly statementId: string, readonly saidAt: string, readonly watermark: string) {
    super(`statement ${statementId} said at ${saidAt} is older than the issue's latest statement (${watermark}); replay the issue instead`);
  }
}

/**
 * A statement id (a stance change's `changeId`) re-sent with content other than the statement
 * recorded under it. An id names one statement forever, so the copy is refused, field by field.
 */
export class ConflictingIdError extends Error {
  override readonly name = 'ConflictingIdError';
  constructor(readonly statementId: string, readonly problems: readonly FieldProblem[]) {
    super(`statement id ${statementId} already names another statement: ${describeProblems(problems)}`);
  }
}
