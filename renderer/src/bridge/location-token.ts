const TOKEN_KEY = 'aeris.token';

/** serve prints `http://127.0.0.1:8000/#token=…`; the token moves to sessionStorage and out of the URL. */
export function takeTokenFromLocation(): string | null {
  const m = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (m) {
    const token = decodeURIComponent(m[1]!);
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return token;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}
