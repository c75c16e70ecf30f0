import { probit } from 'simple-statistics';
import type { RateInterval } from './model.js';

const Z95 = probit(0.975);

/**
 * Wilson score interval for k successes in n trials (Wilson 1927; Newcombe 1998, method 3). Unlike the
 * normal approximation it stays inside [0, 1] and is honest for small n and rates near 0.
 */
export function wilson(k: number, n: number, z = Z95): RateInterval {
  if (n <= 0) return { rate: 0, low: 0, high: 0 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { rate: round(p), low: round(Math.max(0, centre - half)), high: round(Math.min(1, centre + half)) };
}

/** Rates are rounded so reports are byte-stable across platforms' last-bit float differences. */
export function round(x: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
