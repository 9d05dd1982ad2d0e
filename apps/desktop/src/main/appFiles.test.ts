import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { appResponseHeaders, contentTypeFor, isAppRoute, missingUiPage, resolveAppFile } from './appFiles.js';
import { productionCsp } from './csp.js';

const root = path.resolve('/opt/danlu/resources/app.asar/dist/web');

describe('resolveAppFile', () => {
  it('maps request paths to files inside the web root', () => {
    expect(resolveAppFile(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, '/assets/index-abc123.js')).toBe(
      path.join(root, 'assets', 'index-abc123.js'),
    );
    expect(resolveAppFile(root, '/assets/')).toBe(path.join(root, 'assets', 'index.html'));
    expect(resolveAppFile(root, '//assets//a.js')).toBe(path.join(root, 'assets', 'a.js'));
    expect(resolveAppFile(root, '/fonts/%E4%B8%B9%E7%82%89.woff2')).toBe(
      path.join(root, 'fonts', '丹炉.woff2'),
    );
  });

  it('refuses ../ traversal, plain or percent-encoded', () => {
    for (const pathname of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2e%2e/etc/passwd',
      '/.%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..',
    ]) {
      expect(resolveAppFile(root, pathname), pathname).toBeUndefined();
    }
  });

  it('refuses backslashes, drive letters, streams, NUL, dotfiles and malformed escapes', () => {
    for (const pathname of [
      '/..\\secret.txt',
      '/..%5csecret.txt',
      '/C:/Windows/win.ini',
      '/index.html::$DATA',
      '/index.html%00.png',
      '/.env',
      '/assets/.git/config',
      '/%E4%B8',
      '/%',
      'index.html',
      '',
    ]) {
      expect(resolveAppFile(root, pathname), pathname).toBeUndefined();
    }
  });

  it('applies Windows rules: trailing dots and spaces, device names, other drives', () => {
    const winRoot = 'C:\\Program Files\\Danlu\\resources\\app.asar\\dist\\web';
    expect(resolveAppFile(winRoot, '/assets/a.js', path.win32)).toBe(`${winRoot}\\assets\\a.js`);
    for (const pathname of [
      '/.. /secret.txt',
      '/../secret.txt',
      '/..%5c..%5csecret.txt',
      '/assets./a.js',
      '/assets /a.js',
      '/NUL',
      '/con.txt',
      '/assets/COM1',
      '/LPT9.js',
      '/CONOUT$',
      '/D:/other.txt',
    ]) {
      expect(resolveAppFile(winRoot, pathname, path.win32), pathname).toBeUndefined();
    }
    // A UNC-looking path is just empty segments here: it stays inside the root.
    expect(resolveAppFile(winRoot, '//server/share/x', path.win32)).toBe(`${winRoot}\\server\\share\\x`);
  });
});

describe('contentTypeFor and isAppRoute', () => {
  it('knows the types Vite emits and sends unknown files as bytes', () => {
    expect(contentTypeFor('/x/index.html')).toBe('text/html; charset=utf-8');
    expect(contentTypeFor('/x/a.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentTypeFor('/x/a.css')).toBe('text/css; charset=utf-8');
    expect(contentTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/x/a.exe')).toBe('application/octet-stream');
  });

  it('treats extensionless paths as client-side routes', () => {
    expect(isAppRoute('/runs/42')).toBe(true);
    expect(isAppRoute('/')).toBe(true);
    expect(isAppRoute('/assets/missing.js')).toBe(false);
  });
});

describe('appResponseHeaders and missingUiPage', () => {
  it('puts the CSP and nosniff on every response', () => {
    const headers = appResponseHeaders(productionCsp, 'text/plain');
    expect(headers['Content-Security-Policy']).toBe(productionCsp);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Content-Type']).toBe('text/plain');
  });

  it('escapes the folder it names', () => {
    const page = missingUiPage('/tmp/<script>alert(1)</script>');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;');
    expect(page).toContain('pnpm --filter @danlu/web build');
  });
});
