import { z } from 'zod';
import { APP_VERSION } from '../../core/version';
import { seedSchemas } from './seed-schemas';

/** Component schemas, by name; requests are documented as clients send them, responses as we write them. */
function componentSets(): ReadonlyArray<readonly ['input' | 'output', Record<string, z.ZodType>]> {
  const S = seedSchemas();
  const requests = { ChatForm: S.ChatForm, AirQualityQuery: S.AirQualityQuery };
  const responses = {
    ChatResponse: S.ChatResponse,
    ThoughtEvent: S.ThoughtEvent,
    ResponseEvent: S.ResponseEvent,
    SessionSummary: S.SessionSummary,
    MessageItem: S.MessageItem,
    SessionDetail: S.SessionDetail,
    MessagesPage: S.MessagesPage,
    NewSession: S.NewSession,
    DeletedSession: S.DeletedSession,
    Health: S.Health,
    HTTPValidationError: S.ValidationError,
    HTTPError: S.HttpError,
  };
  return [
    ['input', requests],
    ['output', responses],
  ];
}

type Json = Record<string, unknown>;

function components(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [io, set] of componentSets()) {
    const registry = z.registry<{ id: string }>();
    for (const [id, schema] of Object.entries(set)) registry.add(schema, { id });
    const doc = z.toJSONSchema(registry, {
      target: 'draft-2020-12',
      io,
      uri: (id) => `#/components/schemas/${id}`,
      unrepresentable: 'any',
    }) as { schemas: Record<string, Json> };
    for (const [id, schema] of Object.entries(doc.schemas)) {
      const { $schema: _drop, $id: _id, ...rest } = schema;
      out[id] = rest;
    }
  }
  return out;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string, description: string): Json => ({
  description,
  content: { 'application/json': { schema: ref(name) } },
});
const errors = {
  '401': { description: 'Missing or wrong bearer token' },
  '422': json('HTTPValidationError', 'Validation error'),
};
const form = (name: string): Json => ({
  required: true,
  content: {
    'multipart/form-data': { schema: ref(name) },
    'application/x-www-form-urlencoded': { schema: ref(name) },
    'application/json': { schema: ref(name) },
  },
});
const sessionId = { name: 'session_id', in: 'path', required: true, schema: { type: 'string' } };
const pageParams = (limit: number): Json[] => [
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: limit } },
  { name: 'offset', in: 'query', required: false, schema: { type: 'integer', default: 0 } },
];

/** The original server's API as this app serves it, as an OpenAPI 3.1 document built from the route schemas. */
export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'AERIS-AQ (the original server’s API, served by AERIS-AQ Desktop)',
      version: APP_VERSION,
      description:
        'Form-field chat, the thought stream, sessions and air-quality queries, compatible with the original AERIS-AQ server. Every route needs `Authorization: Bearer <token>`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/agent/chat': {
        post: {
          summary: 'Ask the agent; one JSON answer',
          requestBody: form('ChatForm'),
          responses: {
            '200': json('ChatResponse', 'The answer'),
            '400': json('HTTPError', 'Whitespace-only message, bad file type'),
            '413': json('HTTPError', 'Message or upload too large'),
            '415': json('HTTPError', 'An old .xls/.doc, or a kind of file that cannot be attached'),
            '429': json('HTTPError', 'Session full, or too many messages waiting for it'),
            '503': json('HTTPError', 'Ollama not answering'),
            ...errors,
          },
        },
      },
      '/api/v1/agent/chat/stream': {
        post: {
          summary: 'Ask the agent; server-sent events',
          description:
            'Events: `thought` (ThoughtEvent) in order, one `response` (ResponseEvent), then `done` ({}) last; failures are an `error` event, then `done`. `token` and `retract` carry the text as it is written.',
          requestBody: form('ChatForm'),
          responses: {
            '200': {
              description: 'text/event-stream; charset=utf-8',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...errors,
          },
        },
      },
      '/api/v1/sessions': {
        get: {
          summary: 'Sessions, newest first',
          parameters: pageParams(50),
          responses: {
            '200': {
              description: 'Sessions',
              content: { 'application/json': { schema: { type: 'array', items: ref('SessionSummary') } } },
            },
            ...errors,
          },
        },
      },
      '/api/v1/sessions/new': {
        post: { summary: 'Start a session', responses: { '200': json('NewSession', 'The new session'), ...errors } },
      },
      '/api/v1/sessions/{session_id}': {
        get: {
          summary: 'A session with its messages',
          parameters: [sessionId],
          responses: {
            '200': json('SessionDetail', 'The session'),
            '404': json('HTTPError', 'No such session'),
            ...errors,
          },
        },
        delete: {
          summary: 'Delete a session and its messages',
          parameters: [sessionId],
          responses: {
            '200': json('DeletedSession', 'Deleted'),
            '404': json('HTTPError', 'No such session'),
            ...errors,
          },
        },
      },
      '/api/v1/sessions/{session_id}/messages': {
        get: {
          summary: 'A page of a session’s messages (an unknown session is an empty page)',
          parameters: [sessionId, ...pageParams(100)],
          responses: { '200': json('MessagesPage', 'Messages, oldest first'), ...errors },
        },
      },
      '/api/v1/health': {
        get: { summary: 'Health', responses: { '200': json('Health', 'Healthy or degraded'), ...errors } },
      },
      '/api/v1/air-quality/query': {
        post: {
          summary: 'Readings for a city and/or a point, and a forecast',
          requestBody: form('AirQualityQuery'),
          responses: {
            '200': { description: 'Answers keyed city / coordinates / forecast', content: { 'application/json': {} } },
            '404': json('HTTPError', 'No source answered'),
            ...errors,
          },
        },
      },
      '/api/v1/visualization/capabilities': {
        get: {
          summary: 'Chart types the agent draws',
          responses: { '200': { description: 'Capabilities', content: { 'application/json': {} } }, ...errors },
        },
      },
    },
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
}
