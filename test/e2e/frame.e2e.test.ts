import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { launchBrowser, screenshotDir, watchPageErrors } from './support/browser.js';
import { startDanluServe, type StartedServer } from './support/danluServer.js';
import { allTranslationKeys } from './support/locales.js';

const pages = [
  'home',
  'wizard',
  'expert',
  'dataset',
  'runs',
  'outputs',
  'environment',
  'troubleshooting',
  'settings',
] as const;
/** Chinese that may appear on an English screen: the brand and the name of the other language. */
const allowedChineseInEnglish = /丹炉|中文|中/g;

let browser: Browser;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: StartedServer | undefined;
const rawKeys = allTranslationKeys();

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  temp = await makeTempDir('danlu-e2e');
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await temp.cleanup();
});

async function openApp(size = { width: 1280, height: 720 }): Promise<{ page: Page; errors: string[] }> {
  server ??= await startDanluServe(join(temp.dir, 'data'), [], { LANG: 'zh_CN.UTF-8' });
  const page = await browser.newPage({ viewport: size, locale: 'zh-CN' });
  const errors = await watchPageErrors(page);
  await page.goto(server.openUrl);
  await page.getByTestId('page-home').waitFor();
  return { page, errors };
}

async function goTo(page: Page, id: (typeof pages)[number]): Promise<void> {
  await page.getByTestId(`nav-${id}`).click();
  await page.getByTestId(`page-${id}`).waitFor();
  // Park the pointer on the page so the sidebar's hover tooltip is gone before a screenshot.
  await page.mouse.move(700, 10);
  await page
    .getByRole('tooltip')
    .waitFor({ state: 'detached', timeout: 2000 })
    .catch(() => undefined);
}

async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => document.body.innerText);
}

async function htmlState(page: Page): Promise<{ lang: string | null; theme: string | null }> {
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang'),
    theme: document.documentElement.getAttribute('data-theme'),
  }));
}

async function expectFinishedScreen(page: Page, language: 'zh-CN' | 'en', where: string): Promise<void> {
  // Folder paths are the user's data (our temp folders have Chinese names on purpose), not UI text.
  const text = (await visibleText(page)).split(temp.dir).join('<path>');
  for (const key of rawKeys) expect(text, `${where}: raw key ${key}`).not.toContain(key);
  if (language === 'en') {
    const stray = text.replace(allowedChineseInEnglish, '').match(/[\u3400-\u9fff]+/g);
    expect(stray, `${where}: Chinese text on an English screen`).toBeNull();
  } else {
    expect(text, `${where}: no Chinese on a Chinese screen`).toMatch(/[\u4e00-\u9fff]/);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${where}: horizontal overflow`).toBeLessThanOrEqual(0);
}

describe('the Danlu frame in a browser', () => {
  it('opens on Home in Chinese with the primary action and a GPU status', async () => {
    const { page, errors } = await openApp();
    expect(await htmlState(page)).toEqual({ lang: 'zh-CN', theme: 'light' });
    await expect(page.getByTestId('start-training').isVisible()).resolves.toBe(true);
    expect(await page.getByTestId('gpu-chip').innerText()).toMatch(/显卡|GPU/);
    await page.getByTestId('start-training').click();
    await page.getByTestId('page-wizard').waitFor();
    expect(errors).toEqual([]);
  });

  it('switches language and theme live, and every page stays finished', async () => {
    const { page, errors } = await openApp();
    for (const theme of ['light', 'dark'] as const) {
      for (const language of ['zh-CN', 'en'] as const) {
        const state = await htmlState(page);
        if (state.lang !== language) await page.getByTestId('lang-toggle').click();
        if (state.theme !== theme) await page.getByTestId('theme-toggle').click();
        await page.waitForFunction(
          ([lang, th]) =>
            document.documentElement.lang === lang && document.documentElement.dataset['theme'] === th,
          [language, theme] as const,
        );
        for (const id of pages) {
          await goTo(page, id);
          await expectFinishedScreen(page, language, `${id} ${language} ${theme}`);
          await page.screenshot({ path: join(screenshotDir, `${id}-${language}-${theme}.png`) });
        }
      }
    }
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r = 255, g = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    expect((r + g + b) / 3, 'dark theme background').toBeLessThan(80);
    expect(errors).toEqual([]);
  });

  it('keeps settings across a restart of the server', async () => {
    const { page } = await openApp();
    await goTo(page, 'settings');
    await page.getByTestId('settings-language').click();
    await page.getByRole('option', { name: /English/ }).click();
    await page.getByTestId('settings-theme').click();
    await page.getByRole('option', { name: /Dark|深色/ }).click();
    await page.getByTestId('settings-level').click();
    await page.getByRole('option', { name: /Expert|专家/ }).click();
    await page.waitForFunction(() => document.documentElement.dataset['theme'] === 'dark');
    await page.close();

    await server!.stop();
    server = await startDanluServe(join(temp.dir, 'data'), [], { LANG: 'zh_CN.UTF-8' });
    const { page: again } = await openApp();
    expect(await htmlState(again)).toEqual({ lang: 'en', theme: 'dark' });
    expect(await again.getByTestId('level-select').innerText()).toMatch(/Expert/);
  });

  it('tells the user when a corrupt settings file was replaced, and where the old one went', async () => {
    const dataDir = join(temp.dir, 'data');
    await import('node:fs/promises').then((fs) => fs.mkdir(dataDir, { recursive: true }));
    await writeFile(join(dataDir, 'settings.json'), '{"language": "en", "the');
    server = await startDanluServe(dataDir, [], { LANG: 'zh_CN.UTF-8' });
    const { page } = await openApp();
    const notice = page.getByTestId('notice-settings_reset');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('settings.json.');
    await page.screenshot({ path: join(screenshotDir, 'notice-settings-reset-zh-CN.png') });
  });

  it('fits 1920×1080 as well as 1280×720', async () => {
    const { page } = await openApp({ width: 1920, height: 1080 });
    await expectFinishedScreen(page, 'zh-CN', 'home 1920');
    await page.screenshot({ path: join(screenshotDir, 'home-zh-CN-1920.png') });
  });
});
