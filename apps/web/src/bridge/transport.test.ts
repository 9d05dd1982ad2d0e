import { describe, expect, it } from 'vitest';

import { electronTransport, searchWithoutToken, websocketUrl } from './transport.js';

describe('websocketUrl', () => {
  it('talks to the server that served the page, over wss when the page is https', () => {
    expect(websocketUrl({ protocol: 'http:', host: '127.0.0.1:4756', search: '' })).toBe(
      'ws://127.0.0.1:4756/api/ws',
    );
    expect(websocketUrl({ protocol: 'https:', host: 'box.example.com', search: '?x=1' })).toBe(
      'wss://box.example.com/api/ws',
    );
  });

  it('passes the access token on when the page URL carries one', () => {
    expect(websocketUrl({ protocol: 'http:', host: '10.0.0.5:4756', search: '?token=a%20b%2Bc&x=1' })).toBe(
      'ws://10.0.0.5:4756/api/ws?token=a%20b%2Bc',
    );
  });
});

describe('searchWithoutToken', () => {
  it('removes only the token', () => {
    expect(searchWithoutToken('?token=secret')).toBe('');
    expect(searchWithoutToken('?a=1&token=secret&b=2')).toBe('?a=1&b=2');
    expect(searchWithoutToken('?a=1')).toBe('?a=1');
    expect(searchWithoutToken('')).toBe('');
  });
});

describe('electronTransport', () => {
  it('turns a rejected IPC call into an internal error result', async () => {
    const transport = electronTransport({
      call: () => Promise.reject(new Error('ipc gone')),
      on: () => () => undefined,
    });
    await expect(transport.call('app.info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: 'ipc gone' },
    });
    expect(transport.connection.status).toBe('open');
  });
});
