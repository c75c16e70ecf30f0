import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { updateReadme } from '../src/docs.js';

describe('README', () => {
  it('has the cause and rule tables as generated from rule meta (run `npm run docs` to refresh)', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(updateReadme(readme)).toBe(readme);
  });
});
