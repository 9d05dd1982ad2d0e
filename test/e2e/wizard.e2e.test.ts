import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { makeTempDir } from '@danlu/node-utils/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { writeModelFixture } from '../../packages/backend/src/models/fixtures.js';
import { launchBrowser, screenshotDir, watchPageErrors } from './support/browser.js';
import { repoRoot, startDanluServe, type StartedServer } from './support/danluServer.js';
import { allTranslationKeys } from './support/locales.js';

// sharp is a dependency of @danlu/dataset, not of the repository root.
const sharp = createRequire(join(repoRoot, 'packages', 'dataset', 'package.json'))('sharp') as (options: {
  create: { width: number; height: number; channels: 3; background: { r: number; g: number; b: number } };
}) => { png(): { toFile(path: string): Promise<unknown> } };
const { parse } = createRequire(join(repoRoot, 'packages', 'params', 'package.json'))('smol-toml') as {
  parse: (text: string) => Record<string, unknown>;
};

let browser: Browser;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: StartedServer | undefined;
const rawKeys = allTranslationKeys();
const allowedChineseInEnglish = /丹炉|中文|中/g;
/** Folder names the test gives the user's data: user data, not UI text. */
const userNames = /角色|数据 集|模型 库|底模|导出 目录|我的 预设/g;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  temp = await makeTempDir('danlu-e2e 向导');
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await temp.cleanup();
});

async function makeDataset(): Promise<string> {
  const root = join(temp.dir, '数据 集');
  const folder = join(root, '10_角色 alice');
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < 12; i++) {
    const [w, h] = i % 3 === 0 ? [768, 512] : [512, 768];
    await sharp({
      create: { width: w, height: h, channels: 3, background: { r: 30 + i * 18, g: 120, b: 200 - i * 10 } },
    })
      .png()
      .toFile(join(folder, `img ${String(i)}.png`));
    if (i % 2 === 0) await writeFile(join(folder, `img ${String(i)}.txt`), 'alice, 1girl, red hair');
  }
  return root;
}

async function openApp(): Promise<{ page: Page; errors: string[] }> {
  server ??= await startDanluServe(join(temp.dir, 'data'), [], { LANG: 'zh_CN.UTF-8' });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
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

describe('the wizard', () => {
  it('goes from a base model and an image folder to Start, and keeps its state across pages and languages', async () => {
    // The default models folder of the data folder: the wizard lists what it finds there.
    const models = join(temp.dir, 'data', 'models', '模型 库');
    await mkdir(models, { recursive: true });
    const xl = join(models, '底模 xl base.safetensors');
    const lora = join(models, 'my lora.safetensors');
    await writeModelFixture(xl, 'sdxl');
    await writeModelFixture(lora, 'sd1-lora');
    const dataset = await makeDataset();
    const { page, errors } = await openApp();
    await goTo(page, 'wizard');

    // 1 — what + base model: a LoRA is refused, the SDXL checkpoint sets the family.
    await page.getByTestId('wizard-subject-character').click();
    await page.getByTestId('wizard-look-anime').click();
    // Only the checkpoint is offered from the models folder; the LoRA is not.
    await page.getByTestId('wizard-found-model').first().waitFor();
    expect(await page.getByTestId('wizard-found-model').count()).toBe(1);
    expect(await page.getByTestId('wizard-found-model').innerText()).toContain('SDXL');
    await page.getByTestId('wizard-model-path').fill(lora);
    await page.getByTestId('wizard-model-check').click();
    await page.locator('[data-testid="wizard-model-result"][data-usable="false"]').waitFor();
    expect(await page.getByTestId('wizard-next').isDisabled()).toBe(true);
    await page.getByTestId('wizard-model-path').fill(xl);
    await page.getByTestId('wizard-model-check').click();
    await page.locator('[data-testid="wizard-model-result"][data-usable="true"]').waitFor();
    expect(await page.getByTestId('wizard-model-family').innerText()).toContain('SDXL');
    await expectFinished(page, 'zh-CN', 'wizard what zh');
    await shot(page, 'wizard-1-what-zh-CN-light');

    // 2 — dataset: scanned by the dataset service, kohya's 10_ folder read as repeats.
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-dataset-path').fill(dataset);
    await page.getByTestId('wizard-dataset-scan').click();
    await page.getByTestId('wizard-image-count').waitFor();
    expect(await page.getByTestId('wizard-image-count').innerText()).toContain('12');
    await page.locator('[data-testid="wizard-dataset-result"] img').first().waitFor();
    await expectFinished(page, 'zh-CN', 'wizard dataset zh');
    await shot(page, 'wizard-2-dataset-zh-CN-light');

    // 3 — trigger word and captions.
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-trigger').fill('alice');
    expect(await page.getByTestId('wizard-caption-stats').innerText()).toContain('6');
    await shot(page, 'wizard-3-captions-zh-CN-light');

    // 4 — parameters: the SDXL character preset, five knobs, estimates.
    await page.getByTestId('wizard-next').click();
    expect(await page.getByTestId('wizard-preset-name').innerText()).toMatch(/SDXL/);
    const steps = Number(await page.getByTestId('wizard-total-steps').locator('p').innerText());
    expect(steps).toBeGreaterThan(0);
    await expectFinished(page, 'zh-CN', 'wizard parameters zh');
    await shot(page, 'wizard-4-parameters-zh-CN-light');

    // 5 — review: Start calls runs.create; either a run page or a clear error.
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-toml-toggle').click();
    expect(await page.getByTestId('wizard-toml').innerText()).toContain('resolution = "1024,1024"');
    await shot(page, 'wizard-5-review-zh-CN-light');

    // The state survives leaving the page, and English/dark show the same steps.
    await goTo(page, 'settings');
    await goTo(page, 'wizard');
    await page.getByTestId('wizard-panel-review').waitFor();
    await setLookAndLanguage(page, 'en', 'light');
    for (const [i, step] of ['what', 'dataset', 'captions', 'parameters', 'review'].entries()) {
      await page.getByTestId(`wizard-step-${step}`).click();
      await page.getByTestId(`wizard-panel-${step}`).waitFor();
      await page.mouse.move(700, 10);
      await expectFinished(page, 'en', `wizard ${step} en`);
      await shot(page, `wizard-${String(i + 1)}-${step}-en-light`);
    }
    await setLookAndLanguage(page, 'en', 'dark');
    for (const step of ['what', 'parameters', 'review']) {
      await page.getByTestId(`wizard-step-${step}`).click();
      await page.mouse.move(700, 10);
      await shot(page, `wizard-${step}-en-dark`);
    }
    await setLookAndLanguage(page, 'zh-CN', 'dark');
    await shot(page, 'wizard-review-zh-CN-dark');

    await page.getByTestId('wizard-start').click();
    await Promise.race([
      page.getByTestId('page-runs').waitFor({ timeout: 30_000 }),
      page.getByTestId('wizard-start-error').waitFor({ timeout: 30_000 }),
    ]);
    await shot(page, 'wizard-after-start-zh-CN-dark');
    expect(errors).toEqual([]);
  });
});

describe('the expert page', () => {
  it('changes and unsets values, saves a user preset that survives a reload, and exports kohya TOML', async () => {
    const { page, errors } = await openApp();
    await goTo(page, 'expert');
    await page.getByTestId('expert-search').fill('network_dim');
    const dim = page.getByTestId('expert-field-network_dim');
    await dim.locator('input').fill('24');
    await dim.locator('[data-testid="expert-changed-dot"]').waitFor();
    await page.getByTestId('expert-search').fill('max_train_epochs');
    const epochs = page.getByTestId('expert-field-max_train_epochs');
    await epochs.hover();
    await page.getByTestId('expert-clear-max_train_epochs').click();
    await page.getByTestId('expert-unset-max_train_epochs').waitFor();
    await shot(page, 'expert-unset-zh-CN-light');

    await page.getByTestId('expert-preset-actions').click();
    await page.getByTestId('preset-save-as').click();
    await page.getByTestId('preset-dialog-input').fill('我的 预设 e2e');
    await page.getByTestId('preset-dialog-ok').click();
    await page.getByTestId('preset-dialog-input').waitFor({ state: 'detached' });

    await page.reload();
    await page.getByTestId('page-expert').waitFor();
    await page.getByTestId('expert-preset').click();
    await page.getByRole('option', { name: /我的 预设 e2e/ }).click();
    await page.getByTestId('expert-search').fill('max_train_epochs');
    await page.getByTestId('expert-unset-max_train_epochs').waitFor();
    await page.getByTestId('expert-search').fill('network_dim');
    expect(await page.getByTestId('expert-field-network_dim').locator('input').inputValue()).toBe('24');

    // English before the export, so its confirmation is in English too.
    await setLookAndLanguage(page, 'en', 'light');
    const out = join(temp.dir, '导出 目录');
    await mkdir(out);
    await page.getByTestId('expert-preset-actions').click();
    await page.getByTestId('preset-export').click();
    await page.getByTestId('export-format-kohya').click();
    await page.getByTestId('preset-dialog-input').fill(join(out, 'config.toml'));
    await page.getByTestId('preset-dialog-ok').click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const toml = parse(await readFile(join(out, 'config.toml'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(toml.network?.network_dim).toBe(24);
    expect(toml.training?.max_train_epochs).toBeUndefined();
    await expectFinished(page, 'en', 'expert en');
    await shot(page, 'expert-user-preset-en-light');
    expect(errors).toEqual([]);
  });
});
