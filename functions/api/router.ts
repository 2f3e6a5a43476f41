/**
 * Matches a request to a route of the table by its path template (`/issues/{issue}/positions`, the
 * syntax of OpenAPI and API Gateway alike) and method. A path no route has is a 404; a path some
 * route has under another method is a 405 with `Allow`.
 */
import { HttpError } from './errors.ts';

export interface Routable {
  method: string;
  /** A path template: literal segments and `{name}` parameters, each a whole segment. */
  path: string;
}

export interface RouteMatch<R> {
  route: R;
  /** The parameters' segments as received, still percent-encoded. */
  params: Record<string, string>;
}

export type Router<R> = (method: string, path: string) => RouteMatch<R>;

interface CompiledRoute<R> {
  route: R;
  pattern: RegExp;
  names: string[];
}

const escapeRegExp = (literal: string): string => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const compile = <R extends Routable>(route: R): CompiledRoute<R> => {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment)?.[1];
      if (param === undefined) {
        if (/[{}]/.test(segment)) throw new Error(`route ${route.path}: a parameter must be a whole segment, not ${segment}`);
        return escapeRegExp(segment);
      }
      names.push(param);
      return '([^/]+)';
    })
    .join('/');
  // A trailing slash names the same resource.
  return { route, pattern: new RegExp(`^${source}/?$`), names };
};

export const createRouter = <R extends Routable>(routes: readonly R[]): Router<R> => {
  const compiled = routes.map(compile);
  return (method, path) => {
    const upper = method.toUpperCase();
    const onPath = compiled.flatMap((candidate) => {
      const found = candidate.pattern.exec(path);
      return found === null ? [] : [{ candidate, found }];
    });
    if (onPath.length === 0) throw new HttpError('NotFound', `no route ${path}`);
    const hit = onPath.find(({ candidate }) => candidate.route.method === upper);
    if (hit === undefined) {
      const allowed = [...new Set(onPath.map(({ candidate }) => candidate.route.method))];
      throw new HttpError('MethodNotAllowed', `${upper} is not allowed on ${onPath[0]!.candidate.route.path}; use ${allowed.join(' or ')}`, undefined, {
        allow: allowed.join(', '),
      });
    }
    const { candidate, found } = hit;
    return { route: candidate.route, params: Object.fromEntries(candidate.names.map((name, i) => [name, found[i + 1] ?? ''])) };
  };
};
