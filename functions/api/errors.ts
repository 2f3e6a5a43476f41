/**
 * The read API's errors: each has a status, a code from the contract (`ERROR_CODES`) and, for a bad
 * parameter, the parameter's name; the read model's domain errors become one of them here.
 */
import { InvalidCursorError, NotFoundError } from '../application/read-store.ts';
import { jsonResponse, type ReadApiResponse } from './http.ts';
import type { FieldProblem } from '../../events/validation.ts';
import type { ErrorCode } from './schemas.ts';

/** The status each error code answers with; OpenAPI documents each under it. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  NotImplemented: 501,
  InternalError: 500,
};

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly parameter?: string,
    readonly headers: Record<string, string> = {},
    /** A desk request's problems, every one (400 only). */
    readonly problems?: readonly FieldProblem[],
  ) {
    super(message);
    this.statusCode = ERROR_STATUS[code];
  }
}

/** A desk request refused: every problem, each naming its field. */
export const invalidRequest = (problems: readonly FieldProblem[]): HttpError =>
  new HttpError('BadRequest', `the request has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.map((p) => `${p.field}: ${p.reason}`).join('; ')}`, undefined, {}, problems);

export const badRequest = (parameter: string, message: string): HttpError => new HttpError('BadRequest', message, parameter);

export const errorResponse = (error: HttpError): ReadApiResponse =>
  jsonResponse(
    error.statusCode,
    {
      error: error.code,
      ...(error.parameter === undefined ? {} : { parameter: error.parameter }),
      message: error.message,
      ...(error.problems === undefined ? {} : { problems: error.problems }),
    },
    error.headers,
  );

/** The HTTP error a failure stands for, or undefined for one nobody expected (a 500, logged). */
export const asHttpError = (error: unknown): HttpError | undefined => {
  if (error instanceof HttpError) return error;
  if (error instanceof InvalidCursorError) return badRequest('cursor', error.message);
  if (error instanceof NotFoundError) return new HttpError('NotFound', error.message, error.parameter);
  return undefined;
};

export const INTERNAL_ERROR = new HttpError('InternalError', 'unexpected error; see the function logs');

export const describeError = (error: unknown): Record<string, unknown> =>
  error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { message: String(error) };
