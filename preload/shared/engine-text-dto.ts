import { z } from 'zod';
import type { EngineTextDto } from './engine-messages';
import { lazy } from './lazy';

/** The schema of an engine sentence as it travels (EngineTextDto), for the engine to check what it reads back. */
export const ENGINE_TEXT_DTO = lazy(
  () =>
    z.object({
      id: z.string().min(1).max(100),
      params: z.record(z.string(), z.union([z.string(), z.number()])),
    }) satisfies z.ZodType<EngineTextDto>,
);
