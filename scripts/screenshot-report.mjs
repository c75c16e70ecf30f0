// Screenshots of report.html for the README: docs/img/report.png (English) and docs/img/report-zh.png,
// 1280 px wide, the first 1600 px, from the 48-terminal sample fleet. Also prints the page figures the
// layout is judged by (height, where the key figures and the first terminal to act on sit, overflow).
//
//   npm run build && node scripts/screenshot-report.mjs            # writes both images
//   node scripts/screenshot-report.mjs --measure a.html b.html     # only measures given pages
//
// Uses Debian's /usr/bin/chromium (or TXLOG_CHROMIUM) through playwright-core, like the browser tests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const executablePath = process.env.TXLOG_CHROMIUM ?? '/usr/bin/chromium';

async function measure(browser, file, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`file://${file}`);
  const figures = await page.evaluate(() => {
    const top = (sel) => {
      const el = document.querySelector(sel);
      return el ? Math.round(el.getBoundingClientRect().top + scrollY) : null;
    };
    const bottom = (sel) => {
      const el = document.querySelector(sel);
      return el ? Math.round(el.getBoundingClientRect().bottom + scrollY) : null;
    };
    return {
      height: document.body.scrollHeight,
      keyFiguresBottom: bottom('#key'),
      firstToActBottom: bottom('#action tbody.first tr'),
      incidentsTop: top('#incidents'),
      chartsTop: top('#charts'),
      overflow: document.documentElement.scrollWidth - innerWidth,
    };
  });
  await page.close();
  return figures;
}

async function shoot(browser, file, out) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
  await page.goto(`file://${file}`);
  await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1280, height: 1600 } });
  await page.close();
}

const args = process.argv.slice(2);
const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  if (args[0] === '--measure') {
    for (const f of args.slice(1)) for (const w of [1280, 390]) console.log(f, w, JSON.stringify(await measure(browser, resolve(f), w)));
  } else {
    const tmp = mkdtempSync(join(tmpdir(), 'txlog-shot-'));
    try {
      mkdirSync(join(root, 'docs', 'img'), { recursive: true });
      for (const [lang, name] of [['en', 'report.png'], ['zh', 'report-zh.png']]) {
        const out = join(tmp, lang);
        // A fixed clock would be nicer; the page shows generatedAt in small print only.
        execFileSync(process.execPath, [join(root, 'dist/src/cli.js'), 'analyze', join(root, 'fixtures/sample-fleet'), '--tz', 'Asia/Shanghai', '--out', out, '--lang', lang, '-q'], { stdio: 'inherit' });
        const file = join(out, 'report.html');
        for (const w of [1280, 390]) console.log(lang, w, JSON.stringify(await measure(browser, file, w)));
        await shoot(browser, file, join(root, 'docs', 'img', name));
        console.log(`wrote docs/img/${name}`);
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
} finally {
  await browser.close();
}
