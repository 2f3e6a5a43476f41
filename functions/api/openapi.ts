/**
 * The OpenAPI 3.1 document of the read API, generated from the route table and the zod schemas the
 * API validates with. The committed `openapi.json` next to this file is its output; a test fails when they differ.
 *
 * Regenerate: `npx tsx functions/api/openapi.ts`
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from '../../events/zod.ts';
import { CSV_COLUMNS } from './csv.ts';
import { ERROR_STATUS } from './errors.ts';
import { CSV_TYPE, type MediaType } from './http.ts';
// The read API's schemas first: the document lists the registered schemas in registration order.
import { apiError, apiSchemas } from './schemas.ts';
import { DESK_ROUTES, type DeskRouteSpec } from './desk-routes.ts';
import { ROUTES, type RouteErrors, type RouteSpec } from './routes.ts';

export const OPENAPI_PATH = fileURLToPath(new URL('./openapi.json', import.meta.url));

type JsonObject = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';

/** OpenAPI embeds schemas; a `$schema` or `$id` inside each would only confuse tools. */
const bare = (schema: JsonObject): JsonObject => {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
};

const componentSchemas = (): Record<string, JsonObject> => {
  const { schemas } = z.toJSONSchema(apiSchemas, { uri: (id) => `${COMPONENT_PREFIX}${id}` }) as { schemas: Record<string, JsonObject> };
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema)]));
};

const ref = (schema: z.ZodMiniType): JsonObject => {
  const id = apiSchemas.get(schema)?.id;
  return id === undefined ? bare(z.toJSONSchema(schema) as JsonObject) : { $ref: `${COMPONENT_PREFIX}${id}` };
};

const parameter = (name: string, where: 'path' | 'query', schema: z.ZodMiniType, required: boolean): JsonObject => {
  // Parameters arrive as strings; the input side is what a client must send.
  const { description, ...json } = bare(z.toJSONSchema(schema, { io: 'input' }) as JsonObject);
  return { name, in: where, required, ...(description === undefined ? {} : { description }), schema: json };
};

const errorResponse = (description: string): JsonObject => ({
  description,
  content: { 'application/json': { schema: ref(apiError) } },
});

const CSV_DESCRIPTION =
  `UTF-8 with a byte order mark, RFC 4180, one row per statement. Columns: ${CSV_COLUMNS.join(', ')} ` +
  '(an actor\'s history adds status and trail, the revision trail as JSON). ' +
  'Quotes are byte-exact in their original language, except that a text cell starting with =, +, -, @, a tab or a CR ' +
  'gets a leading apostrophe (and is quoted) so spreadsheets do not run it; `raw=true` writes every cell as stored.';

const contentOf = (route: RouteSpec, type: MediaType): JsonObject =>
  type === CSV_TYPE ? { schema: { type: 'string', description: CSV_DESCRIPTION } } : { schema: ref(route.response) };

const routeErrors = (route: RouteSpec) => Object.entries(route.errors) as Array<[keyof RouteErrors, string]>;

const operation = (route: RouteSpec): JsonObject => {
  const parameters = [
    ...Object.entries(route.pathParams).map(([name, schema]) => parameter(name, 'path', schema, true)),
    ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) => parameter(name, 'query', schema as z.ZodMiniType, false)),
  ];
  const content = Object.fromEntries(route.mediaTypes.map((type) => [type, contentOf(route, type)]));
  // Integer-like keys: the document lists the responses by status whatever the order here.
  const responses: JsonObject = {
    '200': { description: 'OK', content },
    ...(parameters.length > 0 ? { '400': errorResponse('A parameter is invalid; `parameter` names it.') } : {}),
    '401': errorResponse('No or wrong credentials.'),
    '406': errorResponse('The Accept header asks for a type this route does not serve.'),
    ...Object.fromEntries(routeErrors(route).map(([code, description]) => [String(ERROR_STATUS[code]), errorResponse(description)])),
    '500': errorResponse('Unexpected error.'),
  };
  return {
    operationId: route.id,
    summary: route.summary,
    ...(route.description === undefined ? {} : { description: route.description }),
    ...(parameters.length > 0 ? { parameters } : {}),
    responses,
  };
};

const deskOperation = (route: DeskRouteSpec): JsonObject => ({
  operationId: route.id,
  summary: route.summary,
  ...(route.description === undefined ? {} : { description: route.description }),
  ...(route.request === undefined ? {} : { requestBody: { required: true, content: { 'application/json': { schema: ref(route.request) } } } }),
  responses: {
    [String(route.status)]: { description: route.status === 202 ? 'Accepted: the event is on the bus' : 'OK', content: { 'application/json': { schema: ref(route.response) } } },
    '401': errorResponse('No or wrong credentials.'),
    ...Object.fromEntries((Object.entries(route.errors) as Array<[keyof typeof ERROR_STATUS, string]>).map(([code, description]) => [String(ERROR_STATUS[code]), errorResponse(description)])),
    '500': errorResponse('Unexpected error.'),
  },
});

/** Paths of both tables, each with its operations by method. */
const paths = (): JsonObject => {
  const byPath: Record<string, JsonObject> = Object.fromEntries(ROUTES.map((route) => [route.path, { get: operation(route) }]));
  for (const route of DESK_ROUTES) byPath[route.path] = { ...byPath[route.path], [route.method.toLowerCase()]: deskOperation(route) };
  return byPath;
};

export const buildOpenApiDocument = (): JsonObject => ({
  openapi: '3.1.0',
  info: {
    title: 'Negotiation position tracker: read and desk API',
    version: '1.0.0',
    description:
      'Where every actor stands on every open question, what changed, and where positions diverge, with the quote ' +
      'that proves it. JSON everywhere; CSV (Accept: text/csv) for the matrix and an actor history. The desk routes ' +
      '(`write` scope, editors) record statements, corrections and registry records as events for the processor, and preview their effect.',
  },
  servers: [{ url: 'http://localhost:3000', description: 'The local runtime (npm start)' }],
  security: [{ bearerAuth: [] }, { apiKeyHeader: [] }, { awsSigV4: [] }],
  paths: paths(),
  components: {
    schemas: componentSchemas(),
    securitySchemes: {
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        description: 'Locally: `Authorization: Bearer <api key>`. In AWS with the JWT authorizer: the JWT.',
      },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'Locally: the API key.' },
      awsSigV4: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'In AWS with the IAM authorizer: a request signed with AWS Signature Version 4 (service execute-api).',
      },
    },
  },
});

/** The committed file's exact text: two-space JSON and a final newline. */
export const renderOpenApiDocument = (): string => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OPENAPI_PATH, renderOpenApiDocument(), 'utf8');
  console.log(`wrote ${OPENAPI_PATH}`);
}
