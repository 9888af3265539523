/** A small value kept in localStorage across reloads; silent where storage is missing or refused. */
export function persisted(key: string) {
  const store = (): Storage | null => {
    try {
      return typeof localStorage === 'undefined' ? null : localStorage;
    } catch {
      return null; // storage disabled by the browser
    }
  };
  return {
    get(): string | null {
      return store()?.getItem(key) ?? null;
    },
    set(value: string | null): void {
      const s = store();
      if (!s) return;
      if (value === null) s.removeItem(key);
      else s.setItem(key, value);
    },
  };
}
