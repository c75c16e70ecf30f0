import { describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from './chromium.js';

describe.skipIf(!hasChromium)('headless Chromium', () => {
  it('renders Chinese text with a CJK font', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.setContent('<p id="t" style="font-family: \'WenQuanYi Micro Hei\', sans-serif">余额不足</p>');
      expect(await page.textContent('#t')).toBe('余额不足');
      // A missing glyph renders as boxes of the fallback font's width; a real CJK face is ~1 em per character.
      const width = await page.evaluate(() => document.getElementById('t')!.getBoundingClientRect().width);
      expect(width).toBeGreaterThan(40);
    } finally {
      await browser.close();
    }
  }, 30_000);
});
