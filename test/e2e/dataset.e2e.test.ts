import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { patternImage } from '../../packages/dataset/src/testing/fixtures.js';
import { installTinyModel } from '../../packages/tagger/src/testing/installTinyModel.js';
import { launchBrowser, screenshotDir, watchPageErrors } from './support/browser.js';
import { startDanluServe, type StartedServer } from './support/danluServer.js';
import { allTranslationKeys } from './support/locales.js';

let browser: Browser;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: StartedServer;
let dataset: string;
let subset: string;

/** A small, mixed training folder: a kohya `10_name` subset, captions for some, one broken file, one tiny image. */
async function buildDataset(root: string): Promise<void> {
  subset = join(root, '10_ohwx girl');
  await mkdir(subset, { recursive: true });
  const sizes: [number, number][] = [
    [640, 960],
    [960, 640],
    [768, 768],
    [600, 900],
    [900, 600],
    [512, 512],
  ];
  for (const [i, [w, h]] of sizes.entries()) {
    await writeFile(
      join(subset, `photo ${String(i + 1)}.png`),
      await patternImage(w, h, i + 1)
        .png()
        .toBuffer(),
    );
  }
  await writeFile(join(subset, 'photo 1.txt'), '1girl, smile, outdoors');
  await writeFile(join(subset, 'photo 2.txt'), '1girl, sitting, smile');
  await writeFile(join(subset, 'tiny.png'), await patternImage(96, 96, 9).png().toBuffer());
  await writeFile(join(subset, 'broken.png'), 'not an image at all');
}

beforeAll(async () => {
  temp = await makeTempDir('danlu-e2e');
  dataset = join(temp.dir, '我的 数据集');
  await buildDataset(dataset);
  const dataDir = join(temp.dir, 'data');
  await installTinyModel(dataDir, 'local/tiny-wd');
  server = await startDanluServe(dataDir, [], { LANG: 'zh_CN.UTF-8' });
  browser = await launchBrowser();
});
afterAll(async () => {
  await server.stop();
  await browser.close();
  await temp.cleanup();
});

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1270, 10);
  await page.screenshot({ path: join(screenshotDir, `dataset-${name}.png`), fullPage: true });
}

async function expectNoRawKeys(page: Page, where: string): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  for (const key of allTranslationKeys()) expect(text, `${where}: raw key ${key}`).not.toContain(key);
}

describe('the dataset page', () => {
  it('scans, checks, previews buckets, auto-tags, edits a caption and adds a trigger word with a preview', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const errors = await watchPageErrors(page);
    await page.goto(server.openUrl);
    await page.getByTestId('nav-dataset').click();
    await page.getByTestId('page-dataset').waitFor();
    await shot(page, 'empty-zh-CN-light');

    await page.getByTestId('dataset-folder').fill(dataset);
    await page.getByTestId('dataset-scan').click();
    await page.getByTestId('dataset-usable').waitFor();
    expect(await page.getByTestId('dataset-usable').innerText()).toBe('7');
    await page.locator('[data-finding="missing_caption"]').waitFor();
    await page.locator('[data-finding="not_an_image"]').click();
    await expect(page.locator('[data-finding="not_an_image"]').innerText()).resolves.toContain('broken.png');
    expect(await page.getByText('10_ohwx girl').count()).toBeGreaterThan(0);
    await expectNoRawKeys(page, 'overview zh');
    await shot(page, 'overview-zh-CN-light');

    await page.getByTestId('dataset-tab-buckets').click();
    await page.getByTestId('dataset-buckets').waitFor();
    const bucketText = await page.getByTestId('dataset-buckets').innerText();
    expect(bucketText).toContain('384×640');
    expect(await page.getByTestId('dataset-steps').innerText()).toMatch(/700/);
    await shot(page, 'buckets-zh-CN-light');

    // auto-tag: the tiny model in the data folder is picked; skip mode fills the 5 missing captions
    await page.getByTestId('dataset-tab-tagging').click();
    await page.getByTestId('dataset-tag-run').waitFor();
    await page.waitForFunction(
      () => !document.querySelector<HTMLButtonElement>('[data-testid="dataset-tag-run"]')?.disabled,
    );
    await page.getByTestId('dataset-tag-run').click();
    await page.getByTestId('dataset-tag-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('dataset-tag-result').innerText()).toMatch(/写入 5 条/);
    const tagged = await readFile(join(subset, 'photo 3.txt'), 'utf8');
    expect(tagged).toContain('looking at viewer');
    expect(await readFile(join(subset, 'photo 1.txt'), 'utf8')).toBe('1girl, smile, outdoors');
    await shot(page, 'tagging-zh-CN-light');

    // edit one caption
    await page.getByTestId('dataset-tab-captions').click();
    await page.locator('[data-relpath="10_ohwx girl/photo 1.png"]').click();
    await page.getByTestId('dataset-caption-input').fill('1girl, smile, outdoors, red scarf');
    await page.getByTestId('dataset-caption-save').click();
    await expect
      .poll(() => readFile(join(subset, 'photo 1.txt'), 'utf8'))
      .toBe('1girl, smile, outdoors, red scarf');

    // batch: trigger word first, previewed before anything is written
    await page.getByTestId('dataset-batch-trigger').fill('ohwx');
    await page.getByTestId('dataset-add-trigger').click();
    await page.getByTestId('dataset-preview').waitFor();
    expect(await page.getByTestId('dataset-preview').innerText()).toContain('ohwx');
    expect(await readFile(join(subset, 'photo 2.txt'), 'utf8')).toBe('1girl, sitting, smile');
    await shot(page, 'preview-zh-CN-light');
    await page.getByTestId('dataset-preview-apply').click();
    await expect
      .poll(() => readFile(join(subset, 'photo 2.txt'), 'utf8'))
      .toBe('ohwx, 1girl, sitting, smile');
    await page.getByTestId('dataset-backups').waitFor();
    await page.locator('[data-relpath="10_ohwx girl/photo 3.png"]').click();
    await shot(page, 'captions-zh-CN-light');

    // English, dark
    await page.getByTestId('lang-toggle').click();
    await page.getByTestId('theme-toggle').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await expectNoRawKeys(page, 'captions en');
    await shot(page, 'captions-en-dark');
    await page.getByTestId('dataset-tab-overview').click();
    await page.locator('[data-finding="not_an_image"]').waitFor();
    await shot(page, 'overview-en-dark');
    await page.getByTestId('dataset-tab-buckets').click();
    await shot(page, 'buckets-en-dark');
    await page.getByTestId('dataset-tab-tagging').click();
    await shot(page, 'tagging-en-dark');

    // a processed copy in a new folder; the page then opens the copy
    await page.getByTestId('dataset-prepare').click();
    await page.getByTestId('dataset-prepare-out').fill(join(temp.dir, 'prepared copy'));
    await shot(page, 'prepare-en-dark');
    await page.getByTestId('dataset-prepare-start').click();
    await page.getByTestId('dataset-prepare-start').waitFor({ state: 'detached', timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('dataset-folder').inputValue())
      .toBe(join(temp.dir, 'prepared copy'));
    await page.getByTestId('dataset-tab-overview').click();
    await expect.poll(() => page.getByTestId('dataset-usable').innerText()).toBe('7');
    expect(await readFile(join(temp.dir, 'prepared copy', '10_ohwx girl', 'photo 2.txt'), 'utf8')).toBe(
      'ohwx, 1girl, sitting, smile',
    );
    expect(errors).toEqual([]);
  });
});
