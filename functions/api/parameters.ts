/**
 * Path and query parameters, validated against the route's zod schemas; the first problem becomes a
 * 400 naming the parameter at fault.
 */
import * as z from '../../events/zod.ts';
import { badRequest } from './errors.ts';

/** Routes without parameters still reject unknown ones: a typo must not be silently ignored. */
export const NO_QUERY = z.strictObject({});

/** The route's path parameters from the raw (percent-encoded) segments the router captured. */
export const parsePathParams = (
  schemas: Readonly<Record<string, z.ZodMiniType>>,
  raw: Readonly<Record<string, string>>,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(raw[name] ?? '');
      } catch {
        throw badRequest(name, 'is not valid percent-encoding');
      }
      const parsed = schema.safeParse(decoded);
      if (!parsed.success) throw badRequest(name, parsed.error.issues[0]?.message ?? 'is invalid');
      return [name, parsed.data as string];
    }),
  );

export const parseQuery = <S extends z.ZodMiniObject>(schema: S, query: Readonly<Record<string, string | undefined>>): z.infer<S> => {
  const present = Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const accepted = Object.keys(schema.shape);
    throw badRequest(
      issue.keys[0] ?? '',
      accepted.length === 0 ? 'is not a parameter of this route (it takes none)' : `is not a parameter of this route (it takes: ${accepted.join(', ')})`,
    );
  }
  throw badRequest(String(issue?.path[0] ?? ''), issue?.message ?? 'is invalid');
};
