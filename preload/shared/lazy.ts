/**
 * A value made at its first use and kept. For zod schemas that every engine start would otherwise build before
 * any request needs them (issue 14): `const Form = lazy(() => z.object({ … }))`, then `Form().parse(…)`.
 */
export function lazy<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
