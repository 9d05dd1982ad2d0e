import { describe, expect, it } from 'vitest';

import { appOrigin, originOf } from './origin.js';
import {
  isAllowedExternalLink,
  isAllowedNavigation,
  isPermissionAllowed,
  isTrustedSender,
  ownOrigins,
  parseDevServerUrl,
} from './urlPolicy.js';

const packaged = ownOrigins(undefined);
const dev = ownOrigins(new URL('http://localhost:5173/'));

describe('originOf', () => {
  it('builds scheme://host for the app scheme, which Node reports as origin "null"', () => {
    expect(new URL('app://danlu/index.html').origin).toBe('null');
    expect(originOf('app://danlu/index.html')).toBe('app://danlu');
    expect(originOf('APP://DANLU/x')).toBe('app://danlu');
    expect(originOf('http://localhost:5173/src/main.tsx')).toBe('http://localhost:5173');
  });

  it('has no origin for file:, data:, javascript:, about:blank or garbage', () => {
    for (const url of [
      'file:///C:/Windows/win.ini',
      'data:text/html,hi',
      'javascript:alert(1)',
      'about:blank',
      'not a url',
      '',
    ]) {
      expect(originOf(url)).toBeUndefined();
    }
  });
});

describe('isAllowedNavigation', () => {
  it('allows our own pages only', () => {
    expect(packaged).toEqual([appOrigin]);
    expect(isAllowedNavigation('app://danlu/index.html#/runs', packaged)).toBe(true);
    expect(isAllowedNavigation('app://danlu/settings', packaged)).toBe(true);
  });

  it('refuses other hosts on our scheme, the web, file: and script URLs', () => {
    for (const url of [
      'app://evil/index.html',
      'app://danlu.evil.com/',
      'https://example.com/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
    ]) {
      expect(isAllowedNavigation(url, packaged), url).toBe(false);
    }
  });

  it('adds the dev server origin, and only that port, in development', () => {
    expect(isAllowedNavigation('http://localhost:5173/', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173@evil.com/', dev)).toBe(false);
  });
});

describe('isAllowedExternalLink', () => {
  it('hands plain web pages to the browser', () => {
    expect(isAllowedExternalLink('https://github.com/kohya-ss/sd-scripts')).toBe(true);
    expect(isAllowedExternalLink('http://127.0.0.1:7860/')).toBe(true);
  });

  it('refuses javascript:, file:, data:, smb:, custom protocols, credentials and junk', () => {
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'file:///C:/Windows/System32/calc.exe',
      'file://server/share/evil.exe',
      'smb://server/share',
      'data:text/html,hi',
      'vscode://extension/evil',
      'ms-settings:',
      'app://danlu/index.html',
      'https://user:pass@example.com/',
      'https://user@example.com/',
      'https://',
      'not a url',
      `https://example.com/${'a'.repeat(3000)}`,
    ]) {
      expect(isAllowedExternalLink(url), url).toBe(false);
    }
  });
});

describe('isTrustedSender', () => {
  const ours = { frameUrl: 'app://danlu/index.html', isMainFrame: true, isOwnWindow: true };

  it('trusts the top frame of our window on our origin', () => {
    expect(isTrustedSender(ours, packaged)).toBe(true);
  });

  it('refuses iframes, other windows, foreign or vanished frames', () => {
    expect(isTrustedSender({ ...ours, isMainFrame: false }, packaged)).toBe(false);
    expect(isTrustedSender({ ...ours, isOwnWindow: false }, packaged)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: undefined }, packaged)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'https://example.com/' }, packaged)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'file:///tmp/index.html' }, packaged)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'http://localhost:5173/' }, packaged)).toBe(false);
    expect(isTrustedSender({ ...ours, frameUrl: 'http://localhost:5173/' }, dev)).toBe(true);
  });
});

describe('parseDevServerUrl', () => {
  it('accepts http(s) on this machine', () => {
    expect(parseDevServerUrl('http://localhost:5173')?.href).toBe('http://localhost:5173/');
    expect(parseDevServerUrl(' http://127.0.0.1:5173/ ')?.host).toBe('127.0.0.1:5173');
    expect(parseDevServerUrl('https://[::1]:5173/')?.hostname).toBe('[::1]');
  });

  it('ignores unset, remote, file: and credentialed values', () => {
    for (const value of [
      undefined,
      '',
      'https://example.com/',
      'http://192.168.1.5:5173/',
      'file:///tmp/index.html',
      'http://user@localhost:5173/',
      'localhost:5173',
    ]) {
      expect(parseDevServerUrl(value), String(value)).toBeUndefined();
    }
  });
});

describe('isPermissionAllowed', () => {
  it('allows only a sanitized clipboard write from our own page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://danlu', packaged)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://example.com/', packaged)).toBe(false);
    for (const permission of [
      'clipboard-read',
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'hid',
      'usb',
    ]) {
      expect(isPermissionAllowed(permission, 'app://danlu/index.html', packaged), permission).toBe(false);
    }
  });
});
