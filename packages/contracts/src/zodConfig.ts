import { z } from 'zod';

// zod probes whether it may compile validators with `new Function`. Danlu's pages forbid eval in their
// CSP, so the probe would log a violation on every start; validation without eval is fast enough for
// API payloads. Imported first by index.ts so it runs before any schema is built.
z.config({ jitless: true });
