import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import { makeTempDir } from '@danlu/node-utils/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { repoRoot } from './support/danluServer.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir('danlu-start');
});
afterEach(() => temp.cleanup());

describe('pnpm start where Electron cannot run', () => {
  it('says why and serves the same UI in the browser', async () => {
    // This machine (and CI) has no display and no Electron binary: the start script must fall back.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DANLU_DATA_DIR: join(temp.dir, 'data'),
      DANLU_LANG: 'en',
    };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    const child = spawn(process.execPath, [join(repoRoot, 'apps/desktop/scripts/start.mjs')], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        const match = /Danlu is running at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => {
        reject(new Error(`start.mjs exited with ${String(code)}:\n${lines.join('\n')}`));
      });
    });
    try {
      const output = lines.join('\n');
      expect(output).toMatch(/无法使用 Electron（.+），改用浏览器模式。/);
      expect(output).toMatch(/Electron cannot be used \(.+\); starting the browser UI instead\./);
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('<div id="root">');
    } finally {
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      expect(code, 'Ctrl+C stops the browser server cleanly').toBe(0);
    }
  });
});
