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

// ---------------------------------------------------------------------------------------------------------
// Exact tail probabilities for root-cause attribution.
//
// Log-probabilities use Loader's saddle-point form (C. Loader, "Fast and Accurate Computation of Binomial
// Probabilities", 2000; the algorithm behind R's dbinom/dhyper/dpois in src/nmath). Computing
// lgamma(n+1) - lgamma(k+1) - lgamma(n-k+1) instead cancels catastrophically: lgamma(1e7) ~ 1.5e8, so one
// ulp of it is already ~3e-8 of relative error in the probability. Loader's stirlerr/bd0 terms are small
// and carry full relative precision. Tails are then summed term by term with the exact ratio recurrence,
// starting at the largest term and stopping once a geometric bound on the rest is negligible; when the
// requested tail holds the mode, the complement (which then is <= ~1/2) is summed instead.
// ---------------------------------------------------------------------------------------------------------

const LN_SQRT_2PI = 0.918938533204672741780329736406; // ln(sqrt(2*pi))
const LN_2PI = 1.837877066409345483560659472811; // ln(2*pi)
/** Relative size below which the rest of a tail sum is dropped (half an ulp of the sum, with margin). */
const TAIL_EPS = 1e-17;

/**
 * stirlerr(n) = ln(n!) - ln(sqrt(2*pi*n) * (n/e)^n) for n = 0, 0.5, ..., 15, computed with mpmath at 40
 * digits (same values as R's nmath/stirlerr.c sferr_halves table).
 */
const SFERR_HALVES = [
  0, 0.15342640972002734529, 0.08106146679532725822, 0.054814121051917653896, 0.041340695955409294094,
  0.033162873519936287485, 0.027677925684998339149, 0.023746163656297495971, 0.020790672103765093112,
  0.018488450532673185231, 0.016644691189821192163, 0.015134973221917378874, 0.013876128823070747999,
  0.012810465242920226924, 0.011896709945891770095, 0.011104559758206917327, 0.010411265261972096497,
  0.0097994161261588032984, 0.0092554621827127329177, 0.008768700134139385463, 0.0083305634333628712565,
  0.0079341145643140205472, 0.007573675487951840795, 0.0072445543013203831795, 0.0069428401072095298657,
  0.0066652470327076824424, 0.0064089941880042070684, 0.0061717122630394576475, 0.0059513701127588477356,
  0.005746216513010115682, 0.005554733551962801371,
];

/** Error of Stirling's formula for ln(n!), n a non-negative integer (Loader 2000, eq. 2; R's stirlerr). */
function stirlerr(n: number): number {
  if (n <= 15) return SFERR_HALVES[2 * n];
  const nn = n * n;
  // Asymptotic series 1/(12n) - 1/(360n^3) + 1/(1260n^5) - 1/(1680n^7) + 1/(1188n^9); terms dropped are < 1e-17.
  if (n > 500) return (1 / 12 - 1 / 360 / nn) / n;
  if (n > 80) return (1 / 12 - (1 / 360 - 1 / 1260 / nn) / nn) / n;
  if (n > 35) return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / 1680 / nn) / nn) / nn) / n;
  return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - 1 / 1188 / nn) / nn) / nn) / nn) / n;
}

/**
 * Deviance term bd0(x, m) = x ln(x/m) + m - x, evaluated without cancellation when x ~ m via the series
 * 2x * sum v^(2j+1)/(2j+1) - (x-m), v = (x-m)/(x+m) (Loader 2000, section 2; R's bd0).
 */
function bd0(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    if (Math.abs(s) < Number.MIN_VALUE) return s;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  return x * Math.log(x / m) + m - x;
}

/** ln P(X = x) for X ~ Binomial(n, p), q = 1 - p passed separately to keep its precision (R's dbinom_raw). */
function logBinomPmf(x: number, n: number, p: number, q: number): number {
  if (x < 0 || x > n) return -Infinity;
  if (p === 0) return x === 0 ? 0 : -Infinity;
  if (q === 0) return x === n ? 0 : -Infinity;
  if (x === 0) return n === 0 ? 0 : p < 0.1 ? -bd0(n, n * q) - n * p : n * Math.log(q);
  if (x === n) return q < 0.1 ? -bd0(n, n * p) - n * q : n * Math.log(p);
  const lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
  // ln(2 pi x (n-x)/n); R's log1p(-x/n) loses ~1e-10 relative when n - x << n, (n - x) / n does not.
  const lf = LN_2PI + Math.log(x) + Math.log((n - x) / n);
  return lc - 0.5 * lf;
}

/**
 * ln P(X = x) for X ~ Hypergeometric(K successes, N - K failures, n draws) as a ratio of three binomial
 * probabilities with the same p = n/N, each accurate to a few ulps (Loader 2000, section 3; R's dhyper).
 */
function logHyperPmf(x: number, K: number, F: number, n: number): number {
  const N = K + F;
  const p = n / N;
  const q = (N - n) / N;
  return logBinomPmf(x, K, p, q) + logBinomPmf(n - x, F, p, q) - logBinomPmf(n, N, p, q);
}

/** ln of the value, or -Infinity for 0. `log1p` keeps complements near 1 precise. */
function logOneMinus(x: number): number {
  return x >= 1 ? -Infinity : Math.log1p(-x);
}

/**
 * Sum of t_0 + t_1 + ... with t_0 = 1 and t_{j+1} = t_j * r_j, where every pmf here has a ratio of the form
 * r_j = scale * (u0 + u1 j)(v0 + v1 j) / ((w0 + w1 j)(z0 + z1 j)) (plain numbers rather than a callback,
 * so the one hot loop stays monomorphic for all callers). The pmfs are log-concave (binomial,
 * hypergeometric, Poisson), so r_j decreases in j; once r < 1 the rest is at most t r / (1 - r), and the
 * loop stops when that bound is below TAIL_EPS of the sum, or after `steps` terms.
 */
function scaledTailSum(
  steps: number,
  scale: number,
  u0: number, u1: number, v0: number, v1: number,
  w0: number, w1: number, z0: number, z1: number,
): number {
  let sum = 1;
  let t = 1;
  let u = u0, v = v0, w = w0, z = z0;
  for (let j = 0; j < steps; j++) {
    const r = (scale * u * v) / (w * z);
    t *= r;
    sum += t;
    if (r < 1 && t * r <= TAIL_EPS * sum * (1 - r)) break;
    u += u1; v += v1; w += w1; z += z1;
  }
  return sum;
}

function assertCount(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}

function assertInteger(name: string, v: number): void {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${name} must be an integer, got ${v}`);
}

/**
 * ln(n!) for a non-negative integer n, to about an ulp: exact product up to 15! (< 2^53), else Stirling's
 * formula plus stirlerr. (simple-statistics' gammaln(n + 1) is about as accurate; neither is used for the
 * tails below, because differences of such large logs cancel, see the note above.)
 */
export function logFactorial(n: number): number {
  assertCount('n', n);
  if (n <= 15) {
    let f = 1;
    for (let i = 2; i <= n; i++) f *= i;
    return Math.log(f);
  }
  return stirlerr(n) + (n + 0.5) * Math.log(n) - n + LN_SQRT_2PI;
}

/**
 * ln P(X >= k) for X ~ Binomial(n, p). Stays finite where the probability itself underflows, so callers
 * can still rank extremely significant terminals.
 */
export function logBinomialUpperTail(k: number, n: number, p: number): number {
  assertInteger('k', k);
  assertCount('n', n);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  if (p === 0) return -Infinity;
  if (p === 1) return 0;
  const q = 1 - p;
  const odds = p / q;
  if (k >= n * p) {
    // Upper tail holds no term past the mode: sum upward from its largest term, t_{i+1}/t_i = (n-i)p/((i+1)q).
    const sum = scaledTailSum(n - k, odds, n - k, -1, 1, 0, k + 1, 1, 1, 0);
    return logBinomPmf(k, n, p, q) + Math.log(sum);
  }
  // k < np: P(X >= k) >= 1/2 (the median is floor or ceil of np), so 1 - P(X <= k-1) loses nothing.
  const m = k - 1;
  const sum = scaledTailSum(m, 1 / odds, m, -1, 1, 0, n - m + 1, 1, 1, 0);
  return logOneMinus(Math.exp(logBinomPmf(m, n, p, q) + Math.log(sum)));
}

/**
 * P(X >= k) for X ~ Binomial(n, p), exact up to floating-point rounding (relative error ~1e-13 at
 * n = 1e7): the one-sided "greater" p-value of R's binom.test(k, n, p).
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  return Math.exp(logBinomialUpperTail(k, n, p));
}

/**
 * ln of the one-sided Fisher exact p-value, see fisherExactGreater.
 */
export function logFisherExactGreater(a: number, b: number, c: number, d: number): number {
  assertCount('a', a);
  assertCount('b', b);
  assertCount('c', c);
  assertCount('d', d);
  // X = top-left cell given the margins: K = a + c "successes" (the cause, fleet-wide), F = b + d others,
  // n = a + b draws (this terminal's attempts). Support is [max(0, a - d), a + min(b, c)].
  const K = a + c;
  const F = b + d;
  const n = a + b;
  const N = K + F;
  if (a <= Math.max(0, n - F)) return 0;
  if (a * N >= n * K) {
    // a at or above the mean: sum upward, t_{x+1}/t_x = (K-x)(n-x) / ((x+1)(F-n+x+1)); a + min(b,c) is the top.
    const steps = Math.min(b, c);
    const sum = scaledTailSum(steps, 1, K - a, -1, n - a, -1, a + 1, 1, F - n + a + 1, 1);
    return logHyperPmf(a, K, F, n) + Math.log(sum);
  }
  // a below the mean: 1 - P(X <= a-1), summing downward, t_{x-1}/t_x = x(F-n+x) / ((K-x+1)(n-x+1)).
  const m = a - 1;
  const lo = Math.max(0, n - F);
  const sum = scaledTailSum(m - lo, 1, m, -1, F - n + m, -1, K - m + 1, 1, n - m + 1, 1);
  return logOneMinus(Math.exp(logHyperPmf(m, K, F, n) + Math.log(sum)));
}

/**
 * One-sided (alternative "greater") Fisher exact test for [[a, b], [c, d]]: a = the cause's findings at
 * this terminal, b = its other attempts, c / d = the same elsewhere in the fleet. Returns P(X >= a) for X
 * hypergeometric with the table's margins, as R's fisher.test(matrix(c(a, c, b, d), 2),
 * alternative = "greater")$p.value (Fisher 1935; Agresti 2002, section 3.5). Cost grows with the spread of
 * the distribution (~sqrt of the margins), not with the margins themselves.
 */
export function fisherExactGreater(a: number, b: number, c: number, d: number): number {
  return Math.exp(logFisherExactGreater(a, b, c, d));
}

/** ln P(X >= k) for X ~ Poisson(lambda). */
export function logPoissonUpperTail(k: number, lambda: number): number {
  assertInteger('k', k);
  if (!(lambda >= 0 && lambda < Infinity)) throw new RangeError(`lambda must be finite and >= 0, got ${lambda}`);
  if (k <= 0) return 0;
  if (lambda === 0) return -Infinity;
  // ln P(X = x) = -stirlerr(x) - bd0(x, lambda) - ln(2 pi x)/2 (Loader 2000; R's dpois_raw).
  const logPmf = (x: number): number =>
    x === 0 ? -lambda : -stirlerr(x) - bd0(x, lambda) - 0.5 * (LN_2PI + Math.log(x));
  if (k >= lambda) {
    const sum = scaledTailSum(Number.MAX_SAFE_INTEGER, lambda, 1, 0, 1, 0, k + 1, 1, 1, 0);
    return logPmf(k) + Math.log(sum);
  }
  const m = k - 1;
  const sum = scaledTailSum(m, 1 / lambda, m, -1, 1, 0, 1, 0, 1, 0);
  return logOneMinus(Math.exp(logPmf(m) + Math.log(sum)));
}

/** P(X >= k) for X ~ Poisson(lambda): R's ppois(k - 1, lambda, lower.tail = FALSE). */
export function poissonUpperTail(k: number, lambda: number): number {
  return Math.exp(logPoissonUpperTail(k, lambda));
}

/**
 * Benjamini-Hochberg step-up adjusted p-values (q-values), in input order: q_(i) = min over j >= i of
 * min(1, m p_(j) / j) for the ascending order p_(1) <= ... <= p_(m) (Benjamini & Hochberg 1995, JRSS B
 * 57:289). Rejecting every q <= alpha controls the false discovery rate at alpha across the fleet's
 * terminal-by-cause comparisons. Matches R's p.adjust(p, "BH"); ties get equal q-values. Throws a
 * RangeError for NaN or values outside [0, 1] (R would drop NAs and shrink m; that should be the caller's
 * explicit choice here).
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  }
  const order = pValues.map((_, i) => i).sort((i, j) => pValues[j] - pValues[i] || j - i);
  const q = new Array<number>(m);
  let running = 1;
  order.forEach((idx, r) => {
    const rank = m - r; // ascending rank of pValues[idx]
    running = Math.min(running, (m / rank) * pValues[idx]);
    q[idx] = running;
  });
  return q;
}
