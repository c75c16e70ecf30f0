import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { EXPORT_CSV } from '../serve/export.js';
import { hasChromium, launchChromium } from './chromium.js';

// The analyses run in the built worker (npm test builds first).
const WORKER = resolve('dist/src/serve/worker.js');
if (!existsSync(WORKER)) console.warn(`txlog serve tests skipped: ${WORKER} is not built (npm test builds first; or run npm run build)`);
const EXPORT = { name: '商户导出.csv', mimeType: 'text/csv', buffer: Buffer.from(EXPORT_CSV) };
const BIG = { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.alloc(300 * 1024, 'x') };

describe.skipIf(!hasChromium || !existsSync(WORKER))('txlog serve in Chromium', () => {
  let browser: Browser;
  let server: RunningServer;
  let parent: string;
  const violations: string[] = [];

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'txlog-serve-browser-'));
    server = await startServer({ host: '127.0.0.1', port: 0, maxUpload: 64 * 1024, tmpDir: parent, jobs: 2, worker: WORKER });
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    expect(readdirSync(parent)).toEqual([]);
  });

  async function open(options: { javaScriptEnabled: boolean; locale: string }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ ...options, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    return { context, page };
  }

  it('works without JavaScript: the plain form uploads, the detected mapping and the report show (English)', async () => {
    const { context, page } = await open({ javaScriptEnabled: false, locale: 'en-US' });
    try {
      await page.goto(server.url);
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      await page.setInputFiles('#terminal', EXPORT);
      await page.fill('#tz', 'Asia/Shanghai');
      await Promise.all([page.waitForURL(/\/r\/[\w-]{22}\//), page.click('button[type=submit]')]);
      await expect.poll(() => page.textContent('#detected h2')).toBe('What was detected');
      const mapping = await page.textContent('table.mapping');
      expect(mapping).toContain('terminalId');
      expect(mapping).toContain('终端号');
      expect(await page.textContent('table.rejects')).toContain('is not a decimal amount');
      const frame = page.frameLocator('iframe');
      await expect.poll(() => frame.locator('body').textContent(), { timeout: 10_000 }).toContain('T001');
      expect(await page.locator('ul.downloads a').allTextContents()).toEqual(['report.json', 'terminals.csv', 'findings.ndjson', 'rejects.ndjson', 'report.md', 'report.html']);
      expect(readdirSync(server.root)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 30_000);

  it('with JavaScript, in Chinese: uploads through the progress bar and shows the result', async () => {
    const { context, page } = await open({ javaScriptEnabled: true, locale: 'zh-CN' });
    try {
      await page.goto(server.url);
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect(await page.textContent('button[type=submit]')).toBe('开始分析');
      expect(await page.inputValue('#lang')).toBe('zh');
      await page.setInputFiles('#terminal', EXPORT);
      await Promise.all([page.waitForURL(/\/r\/[\w-]{22}\//), page.click('button[type=submit]')]);
      await expect.poll(() => page.textContent('#detected h2')).toBe('识别结果');
      expect(await page.textContent('table.mapping')).toContain('交易金额');
      const frame = page.frameLocator('iframe');
      await expect.poll(() => frame.locator('html').getAttribute('lang'), { timeout: 10_000 }).toMatch(/^zh/);
      // The switch link changes the page's language, not the job.
      await page.click('header a');
      await expect.poll(() => page.textContent('#detected h2')).toBe('What was detected');
    } finally {
      await context.close();
    }
  }, 30_000);

  it('answers an oversized upload with the 413 page and keeps serving', async () => {
    const { context, page } = await open({ javaScriptEnabled: false, locale: 'zh-CN' });
    try {
      await page.goto(server.url);
      await page.setInputFiles('#terminal', BIG);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/analyze')), page.click('button[type=submit]')]);
      expect(response.status()).toBe(413);
      await expect.poll(() => page.textContent('section.error h2')).toBe('上传的文件过大');
      expect(await page.textContent('section.error')).toContain('64 KB');
      // The same server, the next upload.
      await page.goto(server.url);
      await page.setInputFiles('#terminal', EXPORT);
      await Promise.all([page.waitForURL(/\/r\/[\w-]{22}\//), page.click('button[type=submit]')]);
      await expect.poll(() => page.textContent('#detected h2')).toBe('识别结果');
    } finally {
      await context.close();
    }
    const js = await open({ javaScriptEnabled: true, locale: 'en-US' });
    try {
      await js.page.goto(server.url);
      await js.page.setInputFiles('#terminal', BIG);
      await js.page.click('button[type=submit]');
      await expect.poll(() => js.page.textContent('section.error h2'), { timeout: 10_000 }).toBe('The upload is too large');
    } finally {
      await js.context.close();
    }
    expect(readdirSync(server.root)).toEqual([]);
    expect(violations).toEqual([]);
  }, 40_000);

  it('answers 20 uploads sent at once from the page, and leaves the temporary directory empty', async () => {
    const { context, page } = await open({ javaScriptEnabled: true, locale: 'en-US' });
    try {
      await page.goto(server.url);
      const statuses = await page.evaluate(async (csv) => {
        const one = async (i: number) => {
          const body = new FormData();
          body.append('terminal', new File([csv], `export-${i}.csv`, { type: 'text/csv' }));
          const res = await fetch('/analyze', { method: 'POST', body });
          return res.status;
        };
        return Promise.all(Array.from({ length: 20 }, (_, i) => one(i)));
      }, EXPORT_CSV);
      // fetch follows the 303 to the result page.
      expect(statuses).toEqual(Array(20).fill(200));
    } finally {
      await context.close();
    }
    expect(readdirSync(server.root)).toEqual([]);
    expect(violations).toEqual([]);
  }, 90_000);
});
