// Regenerates the generated blocks of README.md and docs/*.md from the code (run after `npm run build`):
// cause and rule tables from rules/, field lists from the zod schemas, option tables from src/commands/.
import { readFileSync, writeFileSync } from 'node:fs';
import { DOC_FILES, updateDoc } from '../dist/src/docs.js';

for (const file of DOC_FILES) {
  const text = readFileSync(file, 'utf8');
  const next = updateDoc(text);
  if (next !== text) writeFileSync(file, next);
  console.log(`${file}: ${next === text ? 'up to date' : 'updated'}`);
}
