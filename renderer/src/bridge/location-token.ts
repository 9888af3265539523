const TOKEN_KEY = 'aeris.token';

/** The parts of a window the token is read from and written back to. */
export interface TokenHost {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** serve prints `http://127.0.0.1:8000/#token=…`; the token moves to sessionStorage and out of the URL. */
export function takeTokenFromLocation(host: TokenHost = window): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(host.location.hash);
  if (m) {
    const token = decodeURIComponent(m[1]!);
    host.sessionStorage.setItem(TOKEN_KEY, token);
    host.history.replaceState(null, '', host.location.pathname + host.location.search);
    return token;
  }
  return host.sessionStorage.getItem(TOKEN_KEY);
}
