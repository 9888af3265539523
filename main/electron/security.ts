import { shell, type Session, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY, isExternalLinkAllowed, isTrustedUrl } from './security-policy';

/** Electron's checklist, applied to every window and session. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}

export function hardenWebContents(contents: WebContents, rendererIndex: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links in answers open in the user's browser, and only http(s).
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, rendererIndex)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
