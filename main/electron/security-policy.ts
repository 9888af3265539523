/**
 * The Electron shell's security policy as plain data and pure functions (no `electron` import), so it
 * is unit-tested under Node and the same CSP is used by serve mode.
 */
export { CONTENT_SECURITY_POLICY } from '../server/static-files';

/** The app's own pages: the packaged renderer under file://. Anything else is untrusted. */
export function isTrustedUrl(url: string, rendererIndex: string): boolean {
  try {
    const u = new URL(url);
    if (u.protocol !== 'file:') return false;
    const dir = rendererIndex.replace(/index\.html$/, '');
    return decodeURIComponent(u.pathname).startsWith(dir);
  } catch {
    return false;
  }
}

/** Links from answers may open in the user's browser, and only these. */
export function isExternalLinkAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}
