import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../functions/api/csv.ts';
import { OPENAPI_PATH, buildOpenApiDocument, renderOpenApiDocument } from '../../functions/api/openapi.ts';
import { DESK_ROUTES } from '../../functions/api/desk-routes.ts';
import { ROUTES } from '../../functions/api/routes.ts';
import type { PositionReader } from '../../functions/application/read-model.ts';
import { createReadApi } from '../../functions/api/read-api.ts';

type Json = Record<string, any>;

const committed = (): string => readFileSync(OPENAPI_PATH, 'utf8');

const refsIn = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner)));
  }
  return [];
};

/** The openapi route never touches the store. */
const noReader = new Proxy({} as PositionReader, {
  get: (_target, property) => () => Promise.reject(new Error(`unexpected reader call: ${String(property)}`)),
});

describe('the OpenAPI document', () => {
  it('is committed exactly as generated from the schemas (regenerate: npx tsx functions/api/openapi.ts)', () => {
    expect(committed()).toBe(renderOpenApiDocument());
  });

  it('is OpenAPI 3.1 with one operation per route of the read and desk tables, each with a unique operationId', () => {
    // Act
    const document = buildOpenApiDocument() as Json;

    // Assess
    expect(document['openapi']).toBe('3.1.0');
    const all = [...ROUTES, ...DESK_ROUTES];
    expect(Object.keys(document['paths'])).toEqual(all.map((route) => route.path));
    const ids = all.map((route) => document['paths'][route.path][route.method.toLowerCase()].operationId);
    expect(ids).toEqual(all.map((route) => route.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents the desk routes: the request body, 202 on /desk/events, 400 with problems and 403 for a reader', () => {
    // Act
    const document = buildOpenApiDocument() as Json;

    // Assess
    const events = document['paths']['/desk/events'].post;
    expect(events.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/DeskRequest');
    expect(Object.keys(events.responses).sort()).toEqual(['202', '400', '401', '403', '500']);
    expect(document['paths']['/desk/preview'].post.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/DeskPreview');
    expect(document['paths']['/me'].get.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/Me');
    expect(document['components'].schemas.Error.properties.error.enum).toContain('Forbidden');
    expect(document['components'].schemas.Error.properties).toHaveProperty('problems');
  });

  it('resolves every $ref to a component schema', () => {
    // Act
    const document = buildOpenApiDocument() as Json;

    // Assess
    const components = Object.keys(document['components'].schemas);
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(components).toContain(ref.replace('#/components/schemas/', ''));
    for (const schema of Object.values(document['components'].schemas) as Json[]) {
      expect(schema).not.toHaveProperty('$schema');
      expect(schema).not.toHaveProperty('$id');
    }
  });

  it('documents the parameters, the error shape and the CSV columns', () => {
    // Act
    const document = buildOpenApiDocument() as Json;

    // Assess
    const alerts = document['paths']['/alerts'].get;
    expect(alerts.parameters.map((p: Json) => p.name)).toEqual(['since', 'issue', 'actor', 'open', 'cursor', 'limit']);
    expect(alerts.parameters.find((p: Json) => p.name === 'limit').schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    const matrix = document['paths']['/issues/{issue}/positions'].get;
    expect(matrix.parameters.map((p: Json) => [p.name, p.in, p.required])).toEqual([
      ['issue', 'path', true],
      ['asOf', 'query', false],
      ['raw', 'query', false],
    ]);
    expect(matrix.parameters.find((p: Json) => p.name === 'raw').schema).toMatchObject({ enum: ['true', 'false'] });
    expect(matrix.responses['400'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    expect(matrix.responses['200'].content['text/csv'].schema.description).toContain(CSV_COLUMNS.join(', '));
    expect(document['paths']['/actors/{actor}/history'].get.responses['200'].content).toHaveProperty('text/csv');
    expect(document['paths']['/alerts'].get.responses['200'].content).not.toHaveProperty('text/csv');
    expect(document['components'].schemas.Error.required).toEqual(['error', 'message']);
    expect(Object.keys(document['components'].securitySchemes)).toEqual(['bearerAuth', 'apiKeyHeader', 'awsSigV4']);
  });

  it('is served at /openapi.json as committed', async () => {
    // Prepare
    const api = createReadApi({ reader: noReader });

    // Act
    const response = await api({ method: 'GET', path: '/openapi.json', query: {}, headers: {} });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toEqual(JSON.parse(committed()));
  });
});
