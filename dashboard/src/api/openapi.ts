import type { Route } from './route.js';

/** The OpenAPI 3.1 document, built from the same route table and schemas the router enforces. */
export function openApiDocument(routes: Route[], version: string): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    const params = [...r.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const queryProps = (r.query as { properties?: Record<string, object>; required?: string[] } | undefined)
      ?.properties;
    const queryParams = Object.entries(queryProps ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: ((r.query as { required?: string[] }).required ?? []).includes(name),
      schema,
    }));
    (paths[path] ??= {})[r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      ...(r.access === 'public' ? { security: [] } : {}),
      ...(r.access !== 'public' && r.access !== 'session' ? { 'x-permission': r.access } : {}),
      parameters: [...params, ...queryParams],
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: strip(r.body) } } } }
        : {}),
      responses: {
        200: {
          description: 'OK',
          ...(r.reply ? { content: { 'application/json': { schema: strip(r.reply) } } } : {}),
        },
        400: { $ref: '#/components/responses/Error' },
        401: { $ref: '#/components/responses/Error' },
        403: { $ref: '#/components/responses/Error' },
        404: { $ref: '#/components/responses/Error' },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Linli hub API 邻里指挥中心接口',
      version,
      description:
        'Every request except login and setup needs `Authorization: Bearer <session token>`. ' +
        'Everything returned is limited to the caller’s area; personal data is masked unless the role allows otherwise, and every individual access is audited.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: {
        Error: {
          description: 'Refused or failed',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['ok', 'error'],
                properties: {
                  ok: { const: false },
                  error: {
                    type: 'object',
                    required: ['code', 'message'],
                    properties: {
                      code: { type: 'string' },
                      message: { type: 'string' },
                      issues: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: { field: { type: 'string' }, message: { type: 'string' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    paths,
  };
}

/** TypeBox adds symbol-keyed metadata; JSON round-trip drops it. */
function strip(schema: unknown): unknown {
  return JSON.parse(JSON.stringify(schema));
}
