// Regenerates README.md's cause and rule tables from rules/ (run after `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { updateReadme } from '../dist/src/docs.js';

const readme = readFileSync('README.md', 'utf8');
const next = updateReadme(readme);
if (next !== readme) writeFileSync('README.md', next);
console.log(next === readme ? 'README.md is up to date' : 'README.md updated');
