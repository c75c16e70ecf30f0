import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { htmlOutput } from '../../src/output/html.js';
import { hasChromium, launchChromium } from './chromium.js';

// report.html as people see it, in a real browser: the 48-terminal sample fleet, English and Chinese.
// The page is rendered here from fixtures/sample-fleet, so the test needs no built CLI.

const LANGS = ['en', 'zh'] as const;

describe.skipIf(!hasChromium)('report.html in Chromium', () => {
  let browser: Browser;
  let dir = '';
  const files: Record<(typeof LANGS)[number], string> = { en: '', zh: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'txlog-report-browser-'));
    for (const lang of LANGS) {
      const result = await analyze({ inputs: ['fixtures/sample-fleet'], out: null, tz: 'Asia/Shanghai', lang, generatedAt: '2024-11-18T08:00:00+08:00' });
      files[lang] = join(dir, `report-${lang}.html`);
      writeFileSync(files[lang], htmlOutput.render({ report: result.report, findings: result.findings }, { lang }));
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Opens a page and collects what the console says (a CSP violation is reported there). */
  async function open(lang: (typeof LANGS)[number], width: number, javaScriptEnabled = true): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`file://${files[lang]}`);
    return { page, errors };
  }

  it.each(LANGS)('shows the key figures and the first terminal to act on within the first 900 px, without overflow (%s)', async (lang) => {
    const { page, errors } = await open(lang, 1280);
    try {
      const at = await page.evaluate(() => ({
        key: document.querySelector('#key')!.getBoundingClientRect().bottom,
        first: document.querySelector('#action tbody.first tr')!.getBoundingClientRect().bottom,
        firstText: document.querySelector('#action tbody.first')!.textContent ?? '',
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth,
      }));
      expect(at.key).toBeLessThanOrEqual(900);
      expect(at.first).toBeLessThanOrEqual(900);
      expect(at.firstText).toContain(lang === 'zh' ? '优先处理' : 'Act on this first');
      expect(at.scrollWidth).toBeLessThanOrEqual(at.innerWidth);
      expect(errors).toEqual([]);
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('sorts and filters the terminal table when the script runs, with the CSP allowing it', async () => {
    const { page, errors } = await open('en', 1280);
    try {
      await expect.poll(() => page.isVisible('#terminal-filter')).toBe(true);
      const total = await page.locator('#terminal-table tbody tr').count();
      expect(total).toBe(48);
      await page.fill('#terminal-filter', '88000025');
      expect(await page.locator('#terminal-table tbody tr:visible').count()).toBe(1);
      expect(await page.textContent('#terminal-count')).toBe(`1 / ${total}`);
      await page.fill('#terminal-filter', '');
      // Attempts is the third column; one click sorts ascending, a second descending.
      const attempts = (): Promise<number[]> => page.$$eval('#terminal-table tbody tr', (rows) => rows.map((r) => Number(r.children[2].getAttribute('data-v'))));
      await page.click('#terminal-table thead th:nth-child(3) button');
      const up = await attempts();
      expect(up).toEqual([...up].sort((a, b) => a - b));
      await page.click('#terminal-table thead th:nth-child(3) button');
      const down = await attempts();
      expect(down).toEqual([...down].sort((a, b) => b - a));
      expect(await page.getAttribute('#terminal-table thead th:nth-child(3)', 'aria-sort')).toBe('descending');
      expect(errors).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('is complete without JavaScript', async () => {
    const { page } = await open('en', 1280, false);
    try {
      expect(await page.isVisible('#terminal-filter')).toBe(false);
      expect(await page.locator('#terminal-table tbody tr:visible').count()).toBe(48);
      expect(await page.locator('#key .card').count()).toBe(7);
    } finally {
      await page.context().close();
    }
  }, 60_000);

  it('renders the Chinese page with a CJK font', async () => {
    const { page } = await open('zh', 1280);
    try {
      const r = await page.evaluate(() => {
        const h1 = document.querySelector('h1')!;
        const range = document.createRange();
        range.selectNodeContents(h1);
        return { text: h1.textContent, width: range.getBoundingClientRect().width, font: document.fonts.check('22px "WenQuanYi Micro Hei"', '交易') };
      });
      expect(r.text).toBe('POS 交易分析报告');
      expect(r.font).toBe(true);
      // six CJK glyphs at 22px are ~130px; missing-glyph boxes of a Latin fallback are far narrower
      expect(r.width).toBeGreaterThan(150);
    } finally {
      await page.context().close();
    }
  }, 60_000);
});
