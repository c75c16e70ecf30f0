#!/usr/bin/env node
// Runs `txlog analyze` in this process (the built CLI's main) and prints one JSON line with the wall time
// and this process's peak RSS, so the bench measures txlog alone: {wall, rss, exit}.
//   node scripts/bench/txlog-run.mjs ANALYZE-ARGS...
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { main } = await import(pathToFileURL(join(root, 'dist/src/cli.js')).href);
const errors = [];
const t0 = performance.now();
const exit = await main(['analyze', '-q', ...process.argv.slice(2)], { stdout: () => {}, stderr: (s) => errors.push(s), color: false });
const wall = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ wall, rss: process.resourceUsage().maxRSS * 1024, exit, errors: errors.join('').slice(0, 500) }));
