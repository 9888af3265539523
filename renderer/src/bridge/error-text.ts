/** The words of a failure, for a notice or an error line. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
