import { z } from 'zod';
import { lazy } from '../../../preload/shared/lazy';
import { STYLE_NAMES } from '../../../preload/shared/style-presets';

/**
 * The original API's request and response shapes, as zod schemas: the routes validate requests with them,
 * the tests check real responses against them, and `/openapi.json` is generated from them.
 * Form fields arrive as text, so numbers and flags are coerced (as FastAPI does for `Form(...)`).
 * Made at the first request or document that needs them, not at every engine start (issue 14).
 */

export const seedSchemas = lazy(() => {
  const STYLE = z.enum(STYLE_NAMES).meta({ description: 'Response style preset' });

  const ChatForm = z.object({
    message: z.string().min(1).meta({ description: 'The question (required, non-empty)' }),
    session_id: z.string().optional().meta({ description: 'Session to continue; a new id starts that session' }),
    latitude: z.coerce.number().min(-90).max(90).optional().meta({ description: 'GPS latitude' }),
    longitude: z.coerce.number().min(-180).max(180).optional().meta({ description: 'GPS longitude' }),
    role: STYLE.optional().meta({ description: 'Style preset (the original /chat name)' }),
    style: STYLE.optional().meta({ description: 'Style preset (the original /chat/stream name)' }),
    model: z.string().optional().meta({ description: 'Ollama model (an addition; default: the app’s choice)' }),
    file: z
      .string()
      .optional()
      .meta({ format: 'binary', description: 'CSV or plain-text upload, ≤ 25 MB (multipart only)' }),
  });

  const ChatResponse = z.object({
    response: z.string(),
    session_id: z.string(),
    tools_used: z.array(z.string()),
    tokens_used: z.number().int().meta({ description: 'Prompt + completion tokens, as Ollama counted them' }),
    cached: z.boolean().meta({ description: 'Always false: answers are written fresh (see README)' }),
    message_count: z.number().int(),
    document_processed: z.boolean(),
    document_filename: z.string().nullable(),
    model: z.string(),
    status: z.enum(['complete', 'stopped']),
    warning: z.string().optional(),
  });

  const ThoughtEvent = z
    .object({
      type: z.enum([
        'query_analysis',
        'tool_selection',
        'tool_execution',
        'data_retrieval',
        'response_synthesis',
        'complete',
      ]),
      title: z.string(),
      details: z.record(z.string(), z.unknown()),
      timestamp: z.string(),
      progress: z.number(),
    })
    .meta({ description: 'SSE `event: thought`' });

  const ResponseEvent = z
    .object({
      type: z.literal('response'),
      data: ChatResponse.pick({
        response: true,
        session_id: true,
        tools_used: true,
        tokens_used: true,
        cached: true,
        message_count: true,
        document_processed: true,
        document_filename: true,
      }),
    })
    .meta({ description: 'SSE `event: response`, exactly once, before `done`' });

  const SessionSummary = z.object({
    id: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
    message_count: z.number().int(),
    title: z.string(),
    model: z.string().nullable(),
    style: z.string(),
  });

  const MessageItem = z.object({
    role: z.string(),
    content: z.string(),
    timestamp: z.string(),
    id: z.number().int(),
    status: z.string(),
    tools_used: z.array(z.string()),
  });

  const SessionDetail = SessionSummary.extend({ messages: z.array(MessageItem) });

  const MessagesPage = z.object({
    session_id: z.string(),
    count: z.number().int(),
    offset: z.number().int(),
    messages: z.array(MessageItem),
  });

  const NewSession = z.object({ session_id: z.string(), created_at: z.string(), message: z.string() });

  const DeletedSession = z.object({ status: z.literal('success'), message: z.string(), session_id: z.string() });

  const PageQuery = z.object({
    limit: z.coerce.number().int().optional(),
    offset: z.coerce.number().int().optional(),
  });

  const AirQualityQuery = z.object({
    city: z.string().optional(),
    latitude: z.coerce.number().min(-90).max(90).optional(),
    longitude: z.coerce.number().min(-180).max(180).optional(),
    include_forecast: z.stringbool().optional().meta({ description: 'true/false' }),
    forecast_days: z.coerce.number().int().min(1).max(7).optional(),
  });

  const Health = z
    .object({ status: z.enum(['ok', 'unhealthy']), version: z.string(), state: z.string() })
    .meta({ description: 'Plus the full health report' });

  const ValidationError = z.object({
    detail: z.array(
      z.object({
        loc: z.array(z.union([z.string(), z.number()])),
        msg: z.string(),
        type: z.string(),
        input: z.unknown().optional(),
      }),
    ),
  });

  const HttpError = z.object({
    detail: z.union([z.string(), z.record(z.string(), z.unknown())]),
    code: z.string().optional(),
  });
  return {
    ChatForm,
    ChatResponse,
    ThoughtEvent,
    ResponseEvent,
    SessionSummary,
    MessageItem,
    SessionDetail,
    MessagesPage,
    NewSession,
    DeletedSession,
    PageQuery,
    AirQualityQuery,
    Health,
    ValidationError,
    HttpError,
  };
});
