import { z } from 'zod';
import { STYLE_NAMES } from '../shared/style-presets';
import { UI_LANGUAGES } from '../shared/ui-languages';
import { lazy } from '../shared/lazy';

/** Shared pieces of the contract modules: made at first use, like the calls built from them (issue 14). */
export const STYLE = lazy(() => z.enum(STYLE_NAMES));
/** The UI's language: the model is asked to answer in it. */
export const UI_LANGUAGE = lazy(() => z.enum(UI_LANGUAGES));
export const SESSION_ID = lazy(() => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'invalid session id'));
export const MODEL = lazy(() => z.string().min(1).max(200));
export const EMPTY = lazy(() => z.object({}).strict());

/**
 * Pairs an input schema with its output type (curried so the schema's type is inferred). The schema is made at
 * its first read (the call's first dispatch): building the contract's ~100 zod schemas at load was ~10 ms of
 * every engine start (issue 14).
 */
export function call<O>() {
  return <I extends z.ZodType>(make: () => I): { readonly input: I; output: O } => {
    const input = lazy(make);
    return {
      get input(): I {
        return input();
      },
      output: undefined as unknown as O,
    };
  };
}
