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
import { PUBLIC_EXTENSION, ROLE_EXTENSION } from '@todo/auth';
import { ACCEPTABLE_REQUEST_ID } from '@todo/observability';
import { API_ERRORS_EXTENSION, ApiError, HTTP_API_ERRORS } from './api-error-responses.decorator';
import { ErrorBody } from './error-body';

export interface OpenApiOptions {
  title: string;
  description: string;
  /** Where the service is reached when run locally (`serviceUrls(config).api`). */
  serverUrl: string;
  /** The service's tags and what their operations are about; `health` and `journeys` are added here. */
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
const READS = new Set(['get', 'head', 'options']);

/** The name of the bearer scheme in the document. */
export const BEARER_SCHEME = 'bearer';

/** What the bearer guard answers on a route that needs a token, and on one that needs a role. */
const AUTH_ERRORS: ApiError[] = [
  { status: 401, code: 'AUTH.TOKEN_MISSING', description: 'no Authorization header' },
  {
    status: 401,
    code: 'AUTH.TOKEN_INVALID',
    description:
      'the header is not "Bearer <JWT>", or the token is not signed by the platform, names another issuer or audience, or uses another algorithm',
  },
  { status: 401, code: 'AUTH.TOKEN_EXPIRED', description: 'the token has expired: ask POST /auth/token for a new one' },
];
const ROLE_ERROR = (role: string): ApiError => ({
  status: 403,
  code: 'AUTH.FORBIDDEN',
  description: `the token does not carry the ${role} role`,
});
const RATE_LIMITED: ApiError = {
  status: 429,
  code: 'RATE_LIMITED',
  description: 'too many writes from this user, or token requests from this address, in the last minute; retry after Retry-After seconds',
};

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

const WWW_AUTHENTICATE_HEADER: HeaderObject = {
  description: 'The scheme to authenticate with.',
  schema: { type: 'string', example: 'Bearer' },
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
    .addServer(options.serverUrl, 'The service run locally')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "An access_token from todo-service's POST /auth/token." },
      BEARER_SCHEME,
    );
  const tags = {
    ...options.tags,
    health: 'Liveness and readiness probes.',
    journeys: 'What this service did for one request: its steps of the flow, with durations and trace ids.',
  };
  for (const [name, description] of Object.entries(tags)) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorBody] });
  document.components = {
    ...document.components,
    parameters: { ...document.components?.parameters, 'X-Request-Id': REQUEST_ID_PARAMETER },
    headers: {
      ...document.components?.headers,
      'X-Request-Id': REQUEST_ID_HEADER,
      'Retry-After': RETRY_AFTER_HEADER,
      'WWW-Authenticate': WWW_AUTHENTICATE_HEADER,
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) complete(operation, WITHOUT_DATABASE.has(path), READS.has(method));
    }
  }
  return document;
}

function complete(operation: OperationObject, withoutDatabase: boolean, read: boolean): void {
  const extensions = operation as unknown as Record<string, unknown>;
  const own = (extensions[API_ERRORS_EXTENSION] as ApiError[] | undefined) ?? [];
  const isPublic = extensions[PUBLIC_EXTENSION] === true;
  const role = extensions[ROLE_EXTENSION] as string | undefined;
  for (const key of [API_ERRORS_EXTENSION, PUBLIC_EXTENSION, ROLE_EXTENSION]) delete extensions[key];
  operation.security = isPublic ? [] : [{ [BEARER_SCHEME]: [] }];
  const errors = [
    ...own,
    ...(isPublic ? [] : AUTH_ERRORS),
    ...(role ? [ROLE_ERROR(role)] : []),
    ...(read ? [] : [RATE_LIMITED]),
    ...BODY_PARSER_ERRORS,
    ...(withoutDatabase ? [] : [HTTP_API_ERRORS.SERVICE_UNAVAILABLE]),
  ];
  const responses = operation.responses as Record<string, ResponseObject>;
  for (const [status, group] of byStatus(errors)) {
    // A response an operation wrote out itself (the readiness report) is kept as it is.
    responses[status] ??= errorResponse(status, group);
  }
  for (const [status, response] of Object.entries(responses)) {
    response.headers = { ...response.headers, 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } };
    if (status === '503' || status === '429') response.headers['Retry-After'] = { $ref: '#/components/headers/Retry-After' };
    if (status === '401') response.headers['WWW-Authenticate'] = { $ref: '#/components/headers/WWW-Authenticate' };
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
