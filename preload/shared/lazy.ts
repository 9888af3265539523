/**
 * A value made at its first use and kept; a throw is not kept, so the next call tries again. One memo for engine
 * and UI: zod schemas that every engine start would otherwise build before any request needs them (issue 14),
 * `const Form = lazy(() => z.object({ … }))` then `Form().parse(…)`; and the renderer's bridge, held in a
 * module `const` instead of a module-level `let` (see eslint.config.js).
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
