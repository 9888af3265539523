import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isExternalLinkAllowed, isTrustedUrl } from './security-policy';

describe('Electron security policy', () => {
  const index = '/opt/AERIS-AQ/resources/app.asar/dist/renderer/index.html';

  it('trusts only the packaged renderer', () => {
    expect(isTrustedUrl('file:///opt/AERIS-AQ/resources/app.asar/dist/renderer/index.html', index)).toBe(true);
    expect(isTrustedUrl('file:///opt/AERIS-AQ/resources/app.asar/dist/renderer/assets/x.js', index)).toBe(true);
    expect(isTrustedUrl('file:///etc/passwd', index)).toBe(false);
    expect(isTrustedUrl('file:///opt/AERIS-AQ/resources/app.asar/dist/rendererX/index.html', index)).toBe(false);
    expect(isTrustedUrl('https://evil.example/', index)).toBe(false);
    expect(isTrustedUrl('javascript:alert(1)', index)).toBe(false);
    expect(isTrustedUrl('not a url', index)).toBe(false);
  });

  it('opens only plain http(s) links externally', () => {
    expect(isExternalLinkAllowed('https://www.who.int/')).toBe(true);
    expect(isExternalLinkAllowed('http://aqicn.org/')).toBe(true);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('javascript:alert(1)')).toBe(false);
    expect(isExternalLinkAllowed('smb://host/share')).toBe(false);
    expect(isExternalLinkAllowed('https://user:pw@evil.example/')).toBe(false);
  });

  it('has a strict CSP: no inline or remote script, no inline style, nothing remote', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|https?:/);
  });
});
