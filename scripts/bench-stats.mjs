// Micro-benchmark for the exact tail probabilities in src/stats.ts (speed targets live here, not in tests).
// Usage: npx tsc -p tsconfig.json && node scripts/bench-stats.mjs
import { benjaminiHochberg, binomialUpperTail, fisherExactGreater, poissonUpperTail } from '../dist/src/stats.js';

/**
 * Mean µs per call of fn over `iters` calls, after a warm-up so the JIT has compiled it. Prints wall time
 * and this process's CPU time: on a loaded machine the CPU figure is the one to compare.
 */
function bench(label, fn, iters = 20000) {
  let sink = 0;
  for (let i = 0; i < Math.min(iters, 2000); i++) sink += fn(i);
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < iters; i++) sink += fn(i);
  const cpu = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - t0) / 1e3 / iters;
  const cpuUs = (cpu.user + cpu.system) / iters;
  const fmt = (x) => x.toFixed(2).padStart(8);
  console.log(`${label.padEnd(64)} wall ${fmt(wall)} µs/call, cpu ${fmt(cpuUs)} µs/call  (checksum ${sink.toExponential(3)})`);
}

// k varies per call (i % 50) so nothing is constant-folded; the worst case for the term-by-term sum is
// k just above the mean with a wide distribution (p = 0.5): ~10 standard deviations of terms.
bench('binomialUpperTail n=1e6 p=0.5, k = mean + 0..49', (i) => binomialUpperTail(500_000 + (i % 50), 1_000_000, 0.5));
bench('binomialUpperTail n=1e6 p=0.5, k = mean - 1..50 (complement)', (i) => binomialUpperTail(499_999 - (i % 50), 1_000_000, 0.5));
bench('binomialUpperTail n=1e6 p=1e-3, k = 1000 + 0..49', (i) => binomialUpperTail(1000 + (i % 50), 1_000_000, 1e-3));
bench('binomialUpperTail n=1e6 p=1e-6, k = 1..50', (i) => binomialUpperTail(1 + (i % 50), 1_000_000, 1e-6));
bench('binomialUpperTail n=1e7 p=0.5, k = mean + 0..49', (i) => binomialUpperTail(5_000_000 + (i % 50), 10_000_000, 0.5), 5000);
bench('binomialUpperTail n=1e7 p=1e-4, k = 1000 + 0..49', (i) => binomialUpperTail(1000 + (i % 50), 10_000_000, 1e-4));
bench('fisherExactGreater [[a, 1e4-a], [2000, 488000]], a = 40..89', (i) => {
  const a = 40 + (i % 50);
  return fisherExactGreater(a, 10_000 - a, 2000, 488_000);
});
bench('fisherExactGreater [[a, 2e5-a], [5e4, 2.5e5]], a = mean + 0..49', (i) => {
  const a = 44_000 + (i % 50);
  return fisherExactGreater(a, 200_000 - a, 110_000 - a, 190_000 + a);
});
bench('fisherExactGreater [[a, 5e5-a], [2.5e5, 2.5e5]], a = mean + 0..49', (i) => {
  const a = 250_000 + (i % 50);
  return fisherExactGreater(a, 500_000 - a, 500_000 - a, a);
}, 5000);
bench('poissonUpperTail lambda=1e4, k = mean + 0..49', (i) => poissonUpperTail(10_000 + (i % 50), 1e4));
const ps = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 1000);
bench('benjaminiHochberg, 1000 p-values', () => benjaminiHochberg(ps)[0], 2000);
