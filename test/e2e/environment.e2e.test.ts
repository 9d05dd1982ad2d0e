import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { launchBrowser, screenshotDir, watchPageErrors } from './support/browser.js';
import { startDanluServe, type StartedServer } from './support/danluServer.js';
import { allTranslationKeys } from './support/locales.js';

let browser: Browser;
let context: BrowserContext | undefined;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: StartedServer | undefined;
const rawKeys = allTranslationKeys();
const allowedChineseInEnglish = /丹炉|中文|中/g;
/** The engine folders' names: the user's data, shown as engine labels. */
const userNames = /引擎 甲|引擎 乙/g;

/** The real Python of this machine: the probe runs in it and finds no torch, as on a fresh venv. */
const python3 = (() => {
  try {
    return execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
})();

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  temp = await makeTempDir('danlu-e2e 环境');
});
afterEach(async () => {
  await context?.close();
  context = undefined;
  await server?.stop();
  server = undefined;
  await temp.cleanup();
});

/** A bare sd-scripts checkout as a user unpacks it: the training scripts and the library folder. */
async function makeEngineFolder(name: string): Promise<string> {
  const root = join(temp.dir, name);
  for (const file of [
    'train_network.py',
    'sdxl_train_network.py',
    'train_db.py',
    'library/train_util.py',
    'library/__init__.py',
    'networks/lora.py',
    'requirements.txt',
  ]) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), file.endsWith('.txt') ? 'accelerate\ntransformers\n' : '');
  }
  return root;
}

async function openApp(): Promise<{ page: Page; errors: string[] }> {
  server ??= await startDanluServe(join(temp.dir, 'data'), [], { LANG: 'zh_CN.UTF-8' });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
  // The copy button goes through the async clipboard; the test reads it back.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(server.url).origin,
  });
  const page = await context.newPage();
  const errors = await watchPageErrors(page);
  await page.goto(server.openUrl);
  await page.getByTestId('page-home').waitFor();
  return { page, errors };
}

async function goTo(page: Page, id: string): Promise<void> {
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`page-${id}`).waitFor();
  await page.mouse.move(700, 10);
}

async function setLookAndLanguage(page: Page, language: 'zh-CN' | 'en', theme: 'light' | 'dark') {
  const state = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    theme: document.documentElement.dataset['theme'],
  }));
  if (state.lang !== language) await page.getByTestId('lang-toggle').click();
  if (state.theme !== theme) await page.getByTestId('theme-toggle').click();
  await page.waitForFunction(
    ([lang, th]) =>
      document.documentElement.lang === lang && document.documentElement.dataset['theme'] === th,
    [language, theme] as const,
  );
  await page.mouse.move(700, 10);
}

async function expectFinished(page: Page, language: 'zh-CN' | 'en', where: string) {
  await page
    .getByRole('tooltip')
    .waitFor({ state: 'detached', timeout: 2000 })
    .catch(() => undefined);
  const text = (await page.evaluate(() => document.body.innerText)).split(temp.dir).join('<path>');
  for (const key of rawKeys) expect(text, `${where}: raw key ${key}`).not.toContain(key);
  if (language === 'en') {
    const stray = text
      .replace(allowedChineseInEnglish, '')
      .replace(userNames, '')
      .match(/[\u3400-\u9fff]+/g);
    expect(stray, `${where}: Chinese text on an English screen`).toBeNull();
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${where}: horizontal overflow`).toBeLessThanOrEqual(0);
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

/** The engine card that shows this folder. */
function engineCard(page: Page, folder: string): Locator {
  return page
    .locator('[data-testid^="engine-"]')
    .filter({ has: page.getByText(folder, { exact: false }) })
    .filter({
      has: page.getByTestId('engine-probe'),
    });
}

async function attach(page: Page, folder: string): Promise<void> {
  await page.getByTestId('engine-attach-path').fill(folder);
  await page.getByTestId('engine-attach-python').fill(python3 ?? '');
  await page.getByTestId('engine-attach').click();
  await engineCard(page, folder).waitFor();
}

describe('environment and troubleshooting', () => {
  it.skipIf(!python3)(
    'attaches an engine from a Chinese path with spaces, makes it active, checks, explains and bundles',
    async () => {
      const first = await makeEngineFolder('引擎 甲');
      const second = await makeEngineFolder('引擎 乙');
      const { page, errors } = await openApp();

      // Environment: attach two engines with the machine's real Python; the first attached is active.
      await goTo(page, 'environment');
      await attach(page, first);
      await attach(page, second);
      const secondCard = engineCard(page, second);
      await expect.poll(() => secondCard.getByTestId('engine-active-chip').count()).toBe(0);
      await secondCard.getByTestId('engine-set-active').click();
      await secondCard.getByTestId('engine-active-chip').waitFor();
      await expect.poll(() => engineCard(page, first).getByTestId('engine-active-chip').count()).toBe(0);
      // The choice is the backend's: the preferences name the second engine.
      const data = join(temp.dir, 'data');
      const { engines } = JSON.parse(await readFile(join(data, 'engines.json'), 'utf8')) as {
        engines: { id: string; root: string }[];
      };
      const prefs = JSON.parse(await readFile(join(data, 'environment.json'), 'utf8')) as {
        activeEngineId?: string;
      };
      expect(prefs.activeEngineId).toBe(engines.find((engine) => engine.root === second)?.id);
      // The probe ran in python3: the engine is there and usable, but it has no torch.
      await secondCard.getByTestId('engine-probe').click();
      await expect.poll(() => secondCard.innerText(), { timeout: 30_000 }).toContain('缺少 torch');

      // Troubleshooting: the doctor's findings, most severe first, from this machine.
      await goTo(page, 'troubleshooting');
      const summary = page.getByTestId('trouble-doctor-summary');
      await summary.waitFor();
      const before = await summary.getAttribute('data-checked-at');
      await page.getByTestId('trouble-doctor-run').click();
      await expect.poll(() => summary.getAttribute('data-checked-at'), { timeout: 30_000 }).not.toBe(before);
      const groupOrder = await page
        .locator('[data-testid^="trouble-group-"]')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-testid')));
      // No torch in python3 is an error; error groups come before warnings and passes.
      expect(groupOrder[0]).toBe('trouble-group-error');
      expect(groupOrder).toContain('trouble-group-ok');
      await page.getByTestId('trouble-group-error').getByTestId('doctor-card-torch.installed').waitFor();
      // Passed checks are folded away until asked for.
      expect(await page.getByTestId('doctor-card-engine.found').count()).toBe(0);
      await page.getByTestId('trouble-group-ok-toggle').click();
      expect(await page.getByTestId('doctor-card-engine.found').getAttribute('data-status')).toBe('ok');
      await expect.poll(() => page.getByTestId('doctor-card-torch.installed').innerText()).toBeTruthy();

      // The problem list: a pasted log line finds its explanation; nonsense finds nothing.
      const search = page.getByTestId('trouble-problem-search');
      const total = await page.locator('[data-testid^="trouble-problem-"][data-testid$="_oom"]').count();
      expect(total).toBe(1);
      await search.fill('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB');
      await expect.poll(() => page.locator('.MuiAccordion-root').count()).toBe(1);
      const oom = page.getByTestId('trouble-problem-cuda_oom');
      await oom.getByRole('button').click();
      await expect.poll(() => oom.innerText()).toContain('梯度检查点');
      await search.fill("No module named 'bitsandbytes'");
      await page.getByTestId('trouble-problem-missing_module').waitFor();
      await search.fill('完全无关 zzzz');
      await page.getByTestId('trouble-problem-none').waitFor();
      await search.fill('');
      await expect.poll(() => page.locator('.MuiAccordion-root').count()).toBeGreaterThan(15);

      // The diagnostics bundle: written under the data folder's logs, user name masked by default.
      expect(await page.getByTestId('trouble-bundle-mask').locator('input').isChecked()).toBe(true);
      await page.getByTestId('trouble-bundle-create').click();
      const zipLine = page.getByTestId('trouble-bundle-zip');
      await zipLine.waitFor();
      const zip = (await zipLine.innerText()).trim();
      expect(zip.startsWith(join(temp.dir, 'data'))).toBe(true);
      expect(zip.endsWith('.zip')).toBe(true);
      expect(existsSync(zip)).toBe(true);
      expect((await stat(zip)).size).toBeGreaterThan(200);
      const folder = (await page.getByTestId('trouble-bundle-folder').innerText()).trim();
      const doctorJson = JSON.parse(await readFile(join(folder, 'doctor.json'), 'utf8')) as {
        cards: { id: string }[];
      };
      expect(doctorJson.cards.map((card) => card.id)).toContain('torch.installed');
      const bundledEngines = await readFile(join(folder, 'engines.json'), 'utf8');
      expect(bundledEngines).toContain('乙');
      await page.getByTestId('trouble-bundle-zip-copy').click();
      await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(zip);
      const feedback = page.getByTestId('feedback');
      await expect.poll(() => feedback.innerText()).toContain('路径已复制');
      await feedback.getByRole('button').click();
      await feedback.waitFor({ state: 'detached' });

      // Both pages, both languages, both themes, finished screens.
      for (const theme of ['light', 'dark'] as const) {
        for (const language of ['zh-CN', 'en'] as const) {
          await setLookAndLanguage(page, language, theme);
          for (const id of ['environment', 'troubleshooting'] as const) {
            await goTo(page, id);
            if (id === 'environment') {
              await engineCard(page, second).waitFor();
              await expectFinished(page, language, `${id} ${language} ${theme}`);
              await shot(page, `env-e2e-${id}-${language}-${theme}`);
              await page
                .locator('.MuiCard-root')
                .filter({ has: page.getByTestId('engine-attach') })
                .screenshot({ path: join(screenshotDir, `env-e2e-engines-${language}-${theme}.png`) });
              continue;
            }
            await page.getByTestId('trouble-doctor-summary').waitFor();
            // The bundle's path survives a visit to another page.
            await page.getByTestId('trouble-bundle-zip').waitFor();
            await page.getByTestId('trouble-problem-search').fill('memory');
            await page.getByTestId('trouble-problem-cuda_oom').getByRole('button').click();
            // Screenshots after the accordion has finished opening.
            await page.getByTestId('trouble-problem-cuda_oom').locator('.MuiCollapse-entered').waitFor();
            await expectFinished(page, language, `${id} ${language} ${theme}`);
            await shot(page, `env-e2e-${id}-${language}-${theme}`);
            const card = (testId: string) =>
              page.locator('.MuiCard-root').filter({ has: page.getByTestId(testId) });
            await card('trouble-problem-search').screenshot({
              path: join(screenshotDir, `env-e2e-problems-${language}-${theme}.png`),
            });
            await card('trouble-bundle-create').screenshot({
              path: join(screenshotDir, `env-e2e-bundle-${language}-${theme}.png`),
            });
          }
        }
      }
      expect(errors).toEqual([]);
    },
  );
});
