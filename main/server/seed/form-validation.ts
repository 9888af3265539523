import type { z } from 'zod';
import { SeedHttpError, type ValidationIssue } from './fastapi-errors';

/** A zod issue in FastAPI's (pydantic's) words, so clients that read `detail[].type` see what they expect. */
function toFastApi(issue: z.core.$ZodIssue, where: 'body' | 'query', input: Record<string, unknown>): ValidationIssue {
  const loc = [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
  const value = issue.path.length ? input[String(issue.path[0])] : input;
  const base = { loc, input: value ?? null };
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return { ...base, msg: 'Field required', type: 'missing' };
      if (issue.expected === 'number')
        return {
          ...base,
          msg: 'Input should be a valid number, unable to parse string as a number',
          type: 'float_parsing',
        };
      if (issue.expected === 'int')
        return {
          ...base,
          msg: 'Input should be a valid integer, unable to parse string as an integer',
          type: 'int_parsing',
        };
      return { ...base, msg: `Input should be a valid ${issue.expected}`, type: `${issue.expected}_type` };
    case 'too_small':
      // FastAPI reads an empty form field as a missing one.
      if (issue.origin === 'string' && value === '') return { ...base, msg: 'Field required', type: 'missing' };
      return { ...base, msg: `Input should be greater than or equal to ${issue.minimum}`, type: 'greater_than_equal' };
    case 'too_big':
      return { ...base, msg: `Input should be less than or equal to ${issue.maximum}`, type: 'less_than_equal' };
    case 'invalid_value':
      if (issue.values.includes('true'))
        return { ...base, msg: 'Input should be a valid boolean, unable to interpret input', type: 'bool_parsing' };
      return { ...base, msg: `Input should be ${issue.values.map((v) => `'${String(v)}'`).join(', ')}`, type: 'enum' };
    default:
      return { ...base, msg: issue.message, type: 'value_error' };
  }
}

/**
 * Parses form fields (or query parameters) with a schema; a failure is FastAPI's 422 list.
 * Empty optional fields count as absent, as FastAPI reads forms; a required one that is empty is "missing".
 */
export function parseFields<S extends z.ZodType>(
  schema: S,
  fields: Record<string, string>,
  where: 'body' | 'query' = 'body',
): z.output<S> {
  const present: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== '' || k === 'message') present[k] = v;
  const r = schema.safeParse(present);
  if (r.success) return r.data;
  throw new SeedHttpError(
    422,
    r.error.issues.map((i) => toFastApi(i, where, present)),
  );
}
