import { describe, expect, it } from 'vitest';

import { devServerCsp, productionCsp } from './csp.js';

describe('productionCsp', () => {
  it('is the strict policy, word for word', () => {
    expect(productionCsp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
        "form-action 'none'",
    );
  });

  it('never allows inline or eval-ed scripts or remote hosts', () => {
    const scriptSrc = productionCsp.split('; ').find((directive) => directive.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(productionCsp).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('devServerCsp', () => {
  it("loosens only script-src (Vite's inline preamble) and connect-src (its HMR socket)", () => {
    const csp = devServerCsp('http://localhost:5173');
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws://localhost:5173");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
  });
});
