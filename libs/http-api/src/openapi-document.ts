import { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ResponseObject,
  SwaggerModule,
  getSchemaPath,
} from '@nestjs/swagger';
import { ACCEPTABLE_REQUEST_ID } from '@todo/observability';
import { API_ERRORS_EXTENSION, ApiError, HTTP_API_ERRORS } from './api-error-responses.decorator';
import { ErrorBody } from './error-body';

export interface OpenApiOptions {
  title: string;
  description: string;
  /** Where the service is reached when run locally (`serviceUrls(config).api`). */
  serverUrl: string;
  /** The service's tags and what their operations are about; `health` is added here. */
  tags: Record<string, string>;
}

/** The body parser runs before any route, so every operation can answer with these. */
const BODY_PARSER_ERRORS: ApiError[] = [
  HTTP_API_ERRORS.BAD_REQUEST,
  HTTP_API_ERRORS.PAYLOAD_TOO_LARGE,
  HTTP_API_ERRORS.UNSUPPORTED_MEDIA_TYPE,
];

/** The liveness probe answers from the process alone; every other route reads or writes the database. */
const WITHOUT_DATABASE = new Set(['/health/live']);

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

const REQUEST_ID_PARAMETER: ParameterObject = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  description:
    'Correlation id of the request: echoed in the response, carried by every event it causes as correlation_id, and in error bodies. ' +
    'One is generated when it is absent or does not match the pattern.',
  schema: { type: 'string', pattern: ACCEPTABLE_REQUEST_ID.source, example: 'checkout-42' },
};

const REQUEST_ID_HEADER: HeaderObject = {
  description: 'The correlation id of the request: the X-Request-Id it sent, or the one generated for it.',
  schema: { type: 'string', example: 'checkout-42' },
};

const RETRY_AFTER_HEADER: HeaderObject = {
  description: 'Seconds to wait before trying again.',
  schema: { type: 'integer', example: 1 },
};

/**
 * The service's OpenAPI document: what the controllers declare, completed with what
 * the shared edge does on every route — the X-Request-Id header both ways, the body
 * parser's errors, the 503 of a database outage with Retry-After — and every error
 * answer in the one ErrorBody shape with the codes it can carry.
 */
export function createOpenApiDocument(app: INestApplication, options: OpenApiOptions): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('1')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer(options.serverUrl, 'The service run locally');
  const tags = { ...options.tags, health: 'Liveness and readiness probes.' };
  for (const [name, description] of Object.entries(tags)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorBody] });
  document.components = {
    ...document.components,
    parameters: { ...document.components?.parameters, 'X-Request-Id': REQUEST_ID_PARAMETER },
    headers: { ...document.components?.headers, 'X-Request-Id': REQUEST_ID_HEADER, 'Retry-After': RETRY_AFTER_HEADER },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) complete(operation, WITHOUT_DATABASE.has(path));
    }
  }
  return document;
}

function complete(operation: OperationObject, withoutDatabase: boolean): void {
  const extensions = operation as unknown as Record<string, unknown>;
  const own = (extensions[API_ERRORS_EXTENSION] as ApiError[] | undefined) ?? [];
  delete extensions[API_ERRORS_EXTENSION];
  const errors = [...own, ...BODY_PARSER_ERRORS, ...(withoutDatabase ? [] : [HTTP_API_ERRORS.SERVICE_UNAVAILABLE])];
  const responses = operation.responses as Record<string, ResponseObject>;
  for (const [status, group] of byStatus(errors)) {
    // A response an operation wrote out itself (the readiness report) is kept as it is.
    responses[status] ??= errorResponse(status, group);
  }
  for (const [status, response] of Object.entries(responses)) {
    response.headers = { ...response.headers, 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
    if (status === '503') response.headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
  }
  operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/X-Request-Id' }];
}

function byStatus(errors: ApiError[]): Map<string, ApiError[]> {
  const groups = new Map<string, ApiError[]>();
  for (const error of errors) {
    const status = String(error.status);
    groups.set(status, [...(groups.get(status) ?? []), error]);
  }
  return groups;
}

/** One response for the errors of one status: the error body, narrowed to their codes, one line per code. */
function errorResponse(status: string, errors: ApiError[]): ResponseObject {
  const whenByCode = new Map<string, string[]>();
  for (const { code, description } of errors) {
    const when = whenByCode.get(code) ?? [];
    if (!when.includes(description)) whenByCode.set(code, [...when, description]);
  }
  return {
    description: [...whenByCode].map(([code, when]) => `- \`${code}\`: ${when.join('; ')}`).join('\n'),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: getSchemaPath(ErrorBody) },
            {
              type: 'object',
              properties: {
                statusCode: { type: 'integer', enum: [Number(status)] },
                code: { type: 'string', enum: [...whenByCode.keys()] },
              },
            },
          ],
        },
      },
    },
  };
}
