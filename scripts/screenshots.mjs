// Writes the README's screenshots with headless Chromium at 1280 px wide (run after `npm run build`; needs
// Debian's chromium and fonts-wqy-microhei, as .ci/run installs them). Each shot is one entry in SHOTS.
//   node scripts/screenshots.mjs
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

// Stable report content (generatedAt) from one run to the next.
process.env.SOURCE_DATE_EPOCH ??= '1795219200';
const { startServer } = await import('../dist/src/serve/server.js');

const OUT = resolve('docs/img');
const WIDTH = 1280;
// A GBK export with a title preamble, Excel's ="…" guards and a ￥ amount: what a merchant portal gives.
const EXPORT = resolve('fixtures/merchant-export-gbk/pos-export.csv');

const SHOTS = [
  {
    file: 'serve-upload.png',
    async take(page, server) {
      await page.goto(`${server.url}?lang=en`);
      await page.setInputFiles('#terminal', EXPORT);
      await page.fill('#tz', 'Asia/Shanghai');
      return { fullPage: false };
    },
  },
  {
    file: 'serve-report.png',
    async take(page, server) {
      await page.goto(`${server.url}?lang=en`);
      await page.setInputFiles('#terminal', EXPORT);
      await page.fill('#tz', 'Asia/Shanghai');
      await Promise.all([page.waitForURL(/\/r\//), page.click('button[type=submit]')]);
      await page.frameLocator('iframe').locator('body').waitFor();
      // The framed report is painted only inside the viewport: grow the viewport to the page instead of
      // a full-page capture, which leaves the frame blank (the frame's height fixed first: it is in vh).
      const height = await page.evaluate(() => {
        document.querySelector('iframe').style.height = '1000px';
        return document.documentElement.scrollHeight;
      });
      await page.setViewportSize({ width: WIDTH, height });
      await page.waitForTimeout(300);
      return { fullPage: false };
    },
  },
];

const parent = mkdtempSync(join(tmpdir(), 'txlog-shots-'));
const server = await startServer({ host: '127.0.0.1', port: 0, maxUpload: 50 * 1024 * 1024, tmpDir: parent });
const browser = await chromium.launch({
  executablePath: process.env.TXLOG_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--font-render-hinting=none'],
});
try {
  mkdirSync(OUT, { recursive: true });
  for (const shot of SHOTS) {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 }, locale: 'en-US' });
    const options = await shot.take(page, server);
    await page.screenshot({ path: join(OUT, shot.file), ...options });
    await page.close();
    console.log(`wrote docs/img/${shot.file}`);
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(parent, { recursive: true, force: true });
}
