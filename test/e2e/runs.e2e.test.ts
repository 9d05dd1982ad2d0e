import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
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

const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim();
const fakeScripts = join(repoRoot, 'test', 'fixtures', 'fake-sd-scripts');

let browser: Browser;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let server: StartedServer | undefined;
let dataDir: string;
const rawKeys = allTranslationKeys();
const allowedChineseInEnglish = /丹炉|中文|中/g;
/** Names the test gives the user's data (run names, folders): user data, not UI text. */
const userNames = /角色|数据 集|模型 库|底模|第[一二三]次|中断|停止|测试/g;

/**
 * Engine profiles of the fake sd-scripts, one per behaviour: the knobs are environment variables of the
 * profile, so a scenario picks its behaviour by profile id. The first one is the active engine.
 */
function profile(id: string, env: Record<string, string>) {
  return {
    id,
    kind: 'sd-scripts',
    root: fakeScripts,
    sdScriptsDir: fakeScripts,
    pythonExe: python,
    pythonLayout: 'posix-prefix',
    scripts: ['train_network.py', 'sdxl_train_network.py'],
    label: { zh: `测试引擎 ${id}`, en: `Test engine ${id}` },
    env: {
      PYTHONPATH: join(repoRoot, 'test', 'fixtures', 'fake-python'),
      PYTHONDONTWRITEBYTECODE: '1',
      FAKE_KOHYA_STEP_SECONDS: '0.05',
      ...env,
    },
  };
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
});
beforeEach(async () => {
  temp = await makeTempDir('danlu-e2e 训练');
  dataDir = join(temp.dir, 'data');
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    join(dataDir, 'engines.json'),
    JSON.stringify({
      version: 1,
      engines: [
        profile('fake', { FAKE_KOHYA_STEP_SECONDS: '0.15' }),
        profile('hang', { FAKE_KOHYA_HANG: '1' }),
        profile('oom', { FAKE_KOHYA_FAIL: 'oom' }),
        profile('slow', { FAKE_KOHYA_STEP_SECONDS: '0.25' }),
      ],
    }),
  );
});
afterEach(async () => {
  // Runs outlive the server by design: stop every one that is still going before the folder goes.
  if (server) {
    const page = await browser.newPage();
    await page.goto(server.openUrl);
    const runs = await api<{ id: string; state: string }[]>(page, 'runs.list', {});
    for (const run of runs)
      if (['queued', 'starting', 'running', 'stopping'].includes(run.state))
        await api(page, 'runs.stop', { id: run.id }).catch(() => undefined);
    for (let i = 0; i < 100; i++) {
      const now = await api<{ state: string }[]>(page, 'runs.list', {});
      if (!now.some((r) => ['starting', 'running', 'stopping'].includes(r.state))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await page.close();
    await server.stop();
  }
  server = undefined;
  await temp.cleanup();
});

/** One API call over the page's own WebSocket (same origin and token as the UI). */
async function api<T = unknown>(page: Page, method: string, input: unknown): Promise<T> {
  const result = await page.evaluate(
    async ([m, i]) => {
      const params = new URLSearchParams(location.search);
      const token = params.get('token');
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws${token ? `?token=${encodeURIComponent(token)}` : ''}`;
      const socket = new WebSocket(url);
      return new Promise<{ ok: boolean; data?: unknown; error?: unknown }>((resolve, reject) => {
        socket.onerror = () => {
          reject(new Error('socket error'));
        };
        socket.onopen = () => {
          socket.send(JSON.stringify({ type: 'call', id: 1, method: m, input: i }));
        };
        socket.onmessage = (event) => {
          const frame = JSON.parse(String(event.data)) as {
            type: string;
            id?: number;
            result?: { ok: boolean; data?: unknown; error?: unknown };
          };
          if (frame.type === 'result' && frame.id === 1) {
            socket.close();
            resolve(frame.result ?? { ok: false });
          }
        };
      });
    },
    [method, input] as const,
  );
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`);
  return result.data as T;
}

async function makeDataset(): Promise<string> {
  const root = join(temp.dir, '数据 集');
  const folder = join(root, '2_角色 alice');
  await mkdir(folder, { recursive: true });
  for (let i = 0; i < 4; i++) {
    await sharp({
      create: {
        width: 512,
        height: 512,
        channels: 3,
        background: { r: 40 + i * 40, g: 120, b: 200 - i * 30 },
      },
    })
      .png()
      .toFile(join(folder, `img ${String(i)}.png`));
    await writeFile(join(folder, `img ${String(i)}.txt`), 'alice, 1girl, red hair');
  }
  return root;
}

/** A TrainingConfig for runs created through the API (scenarios 2–4). */
async function apiConfig(epochs: number) {
  const model = join(temp.dir, '模型 库', '底模 sd15.safetensors');
  await mkdir(join(temp.dir, '模型 库'), { recursive: true });
  await writeModelFixture(model, 'sd1');
  const dataset = await makeDataset();
  return {
    family: 'sd1',
    trainingType: 'lora',
    values: {
      pretrained_model_name_or_path: model,
      max_train_epochs: epochs,
      train_batch_size: 1,
      save_every_n_epochs: 1,
      sample_every_n_epochs: 1,
      resolution: '512,512',
      network_dim: 8,
      network_alpha: 4,
    },
    subsets: [{ imageDir: join(dataset, '2_角色 alice'), numRepeats: 2 }],
  };
}

/** Through the wizard's first four steps (anime character, the SDXL fixture, the dataset, trigger alice, 3 epochs). */
async function walkWizardToReview(page: Page, model: string, dataset: string): Promise<void> {
  await goTo(page, 'wizard');
  await page.getByTestId('wizard-subject-character').click();
  await page.getByTestId('wizard-look-anime').click();
  await page.getByTestId('wizard-model-path').fill(model);
  await page.getByTestId('wizard-model-check').click();
  await page.locator('[data-testid="wizard-model-result"][data-usable="true"]').waitFor();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-dataset-path').fill(dataset);
  await page.getByTestId('wizard-dataset-scan').click();
  await page.getByTestId('wizard-image-count').waitFor();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-trigger').fill('alice');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-knob-epochs').fill('3');
  await page.getByTestId('wizard-next').click();
}

async function openApp(
  width = 1280,
  lang: 'zh-CN' | 'en' = 'zh-CN',
): Promise<{ page: Page; errors: string[] }> {
  server ??= await startDanluServe(dataDir, [], { LANG: 'zh_CN.UTF-8' });
  const page = await browser.newPage({ viewport: { width, height: 900 }, locale: lang });
  const errors = await watchPageErrors(page);
  await page.goto(server.openUrl);
  await page.getByTestId('page-home').waitFor({ timeout: 60_000 });
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
  // The engine's own log lines are kohya's text (English with some Japanese), not the UI's.
  const text = (
    await page.evaluate(() => {
      const log = document.querySelector<HTMLElement>('[data-testid="log-lines"]');
      const display = log?.style.display ?? '';
      if (log) log.style.display = 'none';
      const all = document.body.innerText;
      if (log) log.style.display = display;
      return all;
    })
  )
    .split(temp.dir)
    .join('<path>');
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

/** The app scrolls inside its shell, so a full-page shot needs a viewport as tall as the content. */
async function shot(page: Page, name: string) {
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  const height = await page.evaluate(() => {
    const root = document.querySelector<HTMLElement>('[data-testid^="page-"]');
    // From the top: a focused search field may have scrolled the shell.
    for (let e = root?.parentElement; e; e = e.parentElement) e.scrollTop = 0;
    return root ? root.getBoundingClientRect().top + root.scrollHeight : document.body.scrollHeight;
  });
  await page.setViewportSize({
    width: size.width,
    height: Math.min(Math.max(height + 40, size.height), 4000),
  });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
  await page.setViewportSize(size);
}

const runState = (page: Page) =>
  page.locator('[data-testid="run-progress"] [data-testid="run-state"]').getAttribute('data-state');

async function waitForState(page: Page, state: string, timeout = 60_000) {
  await page
    .locator(`[data-testid="run-progress"] [data-testid="run-state"][data-state="${state}"]`)
    .waitFor({ timeout });
}

async function selectRun(page: Page, id: string) {
  await page.locator(`[data-testid="run-item"][data-run-id="${id}"]`).click();
  await page.locator(`[data-testid="run-detail"][data-run-id="${id}"]`).waitFor();
}

describe('training runs with the fake engine', () => {
  it("the wizard's own Start runs with one preview image per epoch", async () => {
    const models = join(dataDir, 'models', '模型 库');
    await mkdir(models, { recursive: true });
    await writeModelFixture(join(models, '底模 xl base.safetensors'), 'sdxl');
    const dataset = await makeDataset();
    const { page, errors } = await openApp();

    await walkWizardToReview(page, join(models, '底模 xl base.safetensors'), dataset);
    await page.getByTestId('wizard-start').click();
    await page.getByTestId('page-runs').waitFor();
    await page.getByTestId('run-detail').waitFor();

    await waitForState(page, 'completed');
    // One prompt (trigger word first) × 3 epochs.
    await expect.poll(() => page.getByTestId('sample-thumb').count()).toBe(3);
    const runs = await api<{ id: string }[]>(page, 'runs.list', {});
    const detail = await api<{ prompts: string[] }>(page, 'runs.get', { id: runs[0]?.id ?? '' });
    expect(detail.prompts[0]).toMatch(/^alice, /);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('starts from the wizard, fills the monitor live, completes, and shows the outputs', async () => {
    const models = join(dataDir, 'models', '模型 库');
    await mkdir(models, { recursive: true });
    await writeModelFixture(join(models, '底模 xl base.safetensors'), 'sdxl');
    const dataset = await makeDataset();
    const prompts = join(temp.dir, '提示 词.txt');
    await writeFile(
      prompts,
      'alice, 1girl, red hair --w 512 --h 512 --d 1\nalice, smiling --w 512 --h 512 --d 2\n',
    );
    const { page, errors } = await openApp();

    await walkWizardToReview(page, join(models, '底模 xl base.safetensors'), dataset);
    // On to the Expert page for the samples: one per prompt and epoch, and a model each epoch.
    await page.getByTestId('wizard-open-expert').click();
    await page.getByTestId('page-expert').waitFor();
    for (const [field, value] of [
      ['sample_every_n_epochs', '1'],
      ['save_every_n_epochs', '1'],
      ['sample_prompts', prompts],
      ['train_batch_size', '1'],
    ] as const) {
      await page.getByTestId('expert-search').fill(field);
      await page.getByTestId(`expert-field-${field}`).locator('input').first().fill(value);
    }
    await page.getByTestId('expert-search').fill('');
    await page.getByTestId('start-training').click();
    await page.getByTestId('page-runs').waitFor();
    await page.getByTestId('run-detail').waitFor();

    // Live: the step counter moves while running, points and log lines arrive.
    await waitForState(page, 'running');
    await page.waitForFunction(() => {
      const text = document.querySelector('[data-testid="run-step"]')?.textContent ?? '';
      const m = /(\d+) \/ (\d+)/.exec(text);
      return m !== null && Number(m[1]) > 2 && Number(m[1]) < Number(m[2]);
    });
    await page.locator('[data-testid="run-samples"] [data-testid="sample-thumb"] img').first().waitFor();
    expect(await page.getByTestId('log-line').count()).toBeGreaterThan(5);
    await page.mouse.move(700, 10);
    await expectFinished(page, 'zh-CN', 'monitor running zh');
    await shot(page, 'runs-monitor-running-zh-CN-light');

    await waitForState(page, 'completed');
    const step = await page.getByTestId('run-step').innerText();
    const [done, total] = step.split('/').map((s) => Number(s.trim()));
    expect(done).toBe(total);
    expect(total).toBe(24); // 4 images × 2 repeats × 3 epochs, batch 1
    await expect.poll(async () => page.getByTestId('chart-points').innerText()).toMatch(/\b24\b.*\b24\b/);
    expect(await page.locator('[data-testid="chart-loss"] .recharts-line path').count()).toBeGreaterThan(0);
    // 2 prompts × 3 epochs.
    await expect.poll(() => page.getByTestId('sample-thumb').count()).toBe(6);
    await page.getByTestId('log-search').fill('saving');
    await expectFinished(page, 'zh-CN', 'monitor completed zh');
    await shot(page, 'runs-monitor-completed-zh-CN-light');
    await page.getByTestId('log-search').fill('');
    await setLookAndLanguage(page, 'en', 'dark');
    await expectFinished(page, 'en', 'monitor completed en');
    await shot(page, 'runs-monitor-completed-en-dark');
    await page.setViewportSize({ width: 1920, height: 1000 });
    await expectFinished(page, 'en', 'monitor completed en 1920');
    await shot(page, 'runs-monitor-completed-en-dark-1920');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Outputs: every saved LoRA (epoch 1, 2 and the final one), metadata and that epoch's samples.
    await page.getByTestId('run-open-outputs').click();
    await page.getByTestId('page-outputs').waitFor();
    await expect.poll(() => page.getByTestId('model-item').count()).toBe(3);
    await page.getByTestId('model-item').first().click();
    await page.getByTestId('metadata-all').waitFor();
    const metadata = await page.getByTestId('model-metadata').innerText();
    expect(metadata).toContain('ss_network_dim');
    expect(metadata).toContain('alice');
    await page.locator('[data-testid="model-samples"] img').first().waitFor();
    await page.mouse.move(700, 10);
    await expectFinished(page, 'en', 'outputs en');
    await shot(page, 'outputs-metadata-en-dark');
    await setLookAndLanguage(page, 'zh-CN', 'light');
    await expectFinished(page, 'zh-CN', 'outputs zh');
    await shot(page, 'outputs-metadata-zh-CN-light');
    expect(errors).toEqual([]);
  });

  it('stops a running run, queues three with the middle one failing, and explains the failure', async () => {
    const { page, errors } = await openApp();
    const config = await apiConfig(2);
    const hung = await api<{ id: string }>(page, 'runs.create', {
      config,
      name: '停止 测试',
      profileId: 'hang',
    });
    await goTo(page, 'runs');
    await selectRun(page, hung.id);
    await waitForState(page, 'running');
    await page.getByTestId('run-stop').click();
    await page.getByTestId('run-stop-confirm').click();
    await waitForState(page, 'stopped', 30_000);

    // The queue: one at a time, and it goes on after the failure.
    const first = await api<{ id: string }>(page, 'runs.create', {
      config,
      name: '第一次',
      profileId: 'fake',
    });
    const second = await api<{ id: string }>(page, 'runs.create', {
      config,
      name: '第二次',
      profileId: 'oom',
    });
    const third = await api<{ id: string }>(page, 'runs.create', {
      config,
      name: '第三次',
      profileId: 'fake',
    });
    const states = async () =>
      Object.fromEntries(
        (await api<{ id: string; state: string }[]>(page, 'runs.list', {})).map((r) => [r.id, r.state]),
      );
    const initial = await states();
    expect([initial[second.id], initial[third.id]]).toEqual(['queued', 'queued']);
    await expect
      .poll(async () => (await states())[third.id], { timeout: 90_000, interval: 300 })
      .toBe('completed');
    const final = await states();
    expect([final[first.id], final[second.id]]).toEqual(['completed', 'failed']);

    await selectRun(page, second.id);
    await waitForState(page, 'failed');
    const card = page.getByTestId('run-diagnosis');
    await card.waitFor();
    expect(await card.getAttribute('data-code')).toBe('cuda_oom');
    // It failed at step 1: no epoch average yet, and the chart says so instead of an empty frame.
    expect(await page.getByTestId('chart-epochs').innerText()).toContain('第一轮结束后');
    expect(await card.innerText()).toMatch(/显存/);
    expect(await card.locator('[data-testid^="run-fix-"]').count()).toBeGreaterThan(0);
    await page.mouse.move(700, 10);
    await expectFinished(page, 'zh-CN', 'monitor failed zh');
    await shot(page, 'runs-monitor-failed-zh-CN-light');
    await setLookAndLanguage(page, 'en', 'dark');
    expect(await card.innerText()).toMatch(/out of memory/i);
    await expectFinished(page, 'en', 'monitor failed en');
    await shot(page, 'runs-monitor-failed-en-dark');

    // The fix queues a copy of the configuration with the change.
    const before = (await api<unknown[]>(page, 'runs.list', {})).length;
    await card.locator('[data-testid^="run-fix-"]').first().click();
    await expect.poll(async () => (await api<unknown[]>(page, 'runs.list', {})).length).toBe(before + 1);
    expect(errors).toEqual([]);
  });

  it('re-attaches a run after the server restarts, with its whole chart', async () => {
    const { page } = await openApp();
    const run = await api<{ id: string }>(page, 'runs.create', {
      config: await apiConfig(3),
      name: '中断 测试',
      profileId: 'slow',
    });
    await goTo(page, 'runs');
    await selectRun(page, run.id);
    await page.waitForFunction(() => {
      const m = /(\d+) \//.exec(document.querySelector('[data-testid="run-step"]')?.textContent ?? '');
      return m !== null && Number(m[1]) >= 4;
    });
    await page.close();
    await server?.stop();
    server = undefined;
    await new Promise((r) => setTimeout(r, 1500));

    const again = await openApp();
    await goTo(again.page, 'runs');
    await selectRun(again.page, run.id);
    expect(await runState(again.page)).toMatch(/running|completed/);
    await waitForState(again.page, 'completed', 60_000);
    const metrics = await api<{ total: number }>(again.page, 'runs.metrics', { id: run.id, maxPoints: 1000 });
    expect(metrics.total).toBe(24);
    await expect.poll(() => again.page.getByTestId('chart-points').innerText()).toMatch(/\b24\b.*\b24\b/);
    await again.page.mouse.move(700, 10);
    await shot(again.page, 'runs-monitor-reattached-zh-CN-light');
    expect(again.errors).toEqual([]);
  });
});
