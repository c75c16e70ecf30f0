import { describe, expect, it } from 'vitest';
import {
  benjaminiHochberg,
  binomialUpperTail,
  fisherExactGreater,
  logBinomialUpperTail,
  logFactorial,
  logFisherExactGreater,
  logPoissonUpperTail,
  poissonUpperTail,
} from '../../src/stats.js';

// High-precision references below were produced with Python mpmath 1.3.0 at mp.dps = 60, e.g.
//   lC = lambda n, k: loggamma(n + 1) - loggamma(k + 1) - loggamma(n - k + 1)
//   binomial: sum(exp(lC(n, x) + x*log(mpf(p)) + (n - x)*log(1 - mpf(p))) for x = k, k+1, ... until < 1e-40 of sum)
//   Fisher:   sum(exp(lC(a+c, x) + lC(b+d, a+b-x) - lC(a+b+c+d, a+b)) for x = a, a+1, ...)
// mpf(p) is the exact value of the double p, so these are the true tails at the arguments passed.

/** |actual - expected| <= tol * |expected| (exact match required for expected = 0). */
function expectRel(actual: number, expected: number, tol: number): void {
  const err = Math.abs(actual - expected);
  if (!(err <= tol * Math.abs(expected))) {
    throw new Error(`expected ${expected}, got ${actual} (relative error ${err / Math.abs(expected)} > ${tol})`);
  }
}

// ---- Exact rational arithmetic with BigInt, independent of the float code under test ----------------------

/** The exact value of a finite double in [0, 1] as num / 2^e. */
function toDyadic(x: number): [bigint, bigint] {
  let e = 0n;
  while (!Number.isInteger(x)) {
    x *= 2; // exact: doubling a double never rounds
    e += 1n;
  }
  return [BigInt(x), 1n << e];
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** num / den rounded to a double with ~64 significant bits kept before the final rounding. */
function ratioToNumber(num: bigint, den: bigint): number {
  if (num === 0n) return 0;
  const shift = 64 - (bitLength(num) - bitLength(den));
  const q = shift >= 0 ? (num << BigInt(shift)) / den : num / (den << BigInt(-shift));
  // q has ~64 bits; scale by 2^-shift in two steps so intermediate powers of two stay representable.
  const half = Math.trunc(shift / 2);
  return Number(q) * 2 ** -half * 2 ** -(shift - half);
}

function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  let r = 1n;
  for (let i = 1; i <= k; i++) r = (r * BigInt(n - k + i)) / BigInt(i); // exact at every step
  return r;
}

function exactBinomialUpperTail(k: number, n: number, p: number): number {
  const [pn, den] = toDyadic(p);
  const qn = den - pn;
  let sum = 0n;
  for (let i = Math.max(k, 0); i <= n; i++) sum += choose(n, i) * pn ** BigInt(i) * qn ** BigInt(n - i);
  return ratioToNumber(sum, den ** BigInt(n));
}

function exactFisherGreater(a: number, b: number, c: number, d: number): number {
  const K = a + c;
  const F = b + d;
  const n = a + b;
  let sum = 0n;
  for (let x = a; x <= Math.min(n, K); x++) sum += choose(K, x) * choose(F, n - x);
  return ratioToNumber(sum, choose(K + F, n));
}

/** Deterministic PRNG (mulberry32) so the brute-force sweeps are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('logFactorial', () => {
  it('is exact for small n and matches exact BigInt factorials beyond', () => {
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(1)).toBe(0);
    expectRel(logFactorial(10), Math.log(3628800), 1e-15);
    for (const n of [16, 20, 35, 36, 80, 81, 170]) {
      let f = 1n;
      for (let i = 2n; i <= BigInt(n); i++) f *= i;
      // ln(f) = ln(mantissa) + shift * ln 2, with the top 64 bits as mantissa.
      const shift = Math.max(0, bitLength(f) - 64);
      const expected = Math.log(Number(f >> BigInt(shift))) + shift * Math.LN2;
      expectRel(logFactorial(n), expected, 1e-14);
    }
  });

  it('matches high-precision ln(n!) for large n', () => {
    // mpmath 1.3.0, mp.dps = 60: loggamma(10**6 + 1), loggamma(10**7 + 1)
    expectRel(logFactorial(1_000_000), 12815518.38465816962425, 1e-15);
    expectRel(logFactorial(10_000_000), 151180965.4875695648984, 1e-15);
  });

  it('rejects non-integers', () => {
    expect(() => logFactorial(2.5)).toThrow(RangeError);
    expect(() => logFactorial(-1)).toThrow(RangeError);
  });
});

describe('binomialUpperTail', () => {
  it('matches the textbook value P(X >= 8) for 10 fair coin flips = (45 + 10 + 1) / 1024', () => {
    expectRel(binomialUpperTail(8, 10, 0.5), 56 / 1024, 1e-14);
  });

  // Reference values: direct 60-digit sums of the binomial pmf in Python mpmath 1.3.0 (mp.dps = 60, the
  // double p converted exactly with mpf(p)); each also agrees with scipy 1.17.1 binom.sf(k - 1, n, p) to
  // ~1e-13 where scipy does not underflow. The (682, 925, 0.75) case is the data of R's ?binom.test
  // example (Conover 1971, p. 97f: 682 "giant" plants of 925, Mendelian p = 3/4), one-sided "greater".
  it.each([
    [682, 925, 0.75, 0.82408912235242257935],
    [3, 1_000_000, 1e-7, 0.00015465264046711026923],
    [500_500, 1_000_000, 0.5, 0.15889734568165276856],
    [5000, 10_000_000, 0.0004, 1.483534979074075609e-52],
    [1, 10_000_000, 1e-9, 0.0099501662557821962147],
    [300, 1_000_000, 0.0001, 1.7827932534358431414e-58],
    [400, 1000, 0.5, 0.99999999990991587294],
    [49, 100, 0.5, 0.6178232827986665979],
    [501, 1000, 0.5, 0.48738749091081959905],
    [7, 20, 0.3, 0.39199018779907599413],
  ])('P(X >= %d), n = %d, p = %d', (k, n, p, expected) => {
    expectRel(binomialUpperTail(k, n, p), expected, 1e-12);
  });

  it('keeps the log of tails far below the double range', () => {
    // mpmath as above: ln P(X >= 2000) for n = 1e6, p = 1e-4 (P = 1.94e-1780).
    expectRel(logBinomialUpperTail(2000, 1_000_000, 0.0001), -4097.9381368770073375, 1e-13);
    expect(binomialUpperTail(2000, 1_000_000, 0.0001)).toBe(0);
  });

  it('agrees with exact BigInt rational sums to 1e-12 relative', () => {
    const rand = rng(12345);
    const ps = [0.5, 0.3, 0.01, 0.999, 1e-6, 0.123456789];
    for (let trial = 0; trial < 150; trial++) {
      const n = 1 + Math.floor(rand() * 120);
      const k = Math.floor(rand() * (n + 2));
      const p = ps[trial % ps.length];
      const exact = exactBinomialUpperTail(k, n, p);
      expectRel(binomialUpperTail(k, n, p), exact, 1e-12);
    }
  });

  it('handles the boundaries', () => {
    expect(binomialUpperTail(0, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(-3, 10, 0.3)).toBe(1);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
    expect(binomialUpperTail(1, 10, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
    expect(binomialUpperTail(0, 0, 0.5)).toBe(1);
    expect(binomialUpperTail(1, 0, 0.5)).toBe(0);
    expectRel(binomialUpperTail(10, 10, 0.5), 2 ** -10, 1e-15);
    expect(() => binomialUpperTail(1.5, 10, 0.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 10, 1.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(1, 10, Number.NaN)).toThrow(RangeError);
  });

  it('is a probability, non-increasing in k and non-decreasing in p', () => {
    for (const [n, p] of [
      [50, 0.2],
      [5000, 0.01],
      [1_000_000, 1e-5],
    ] as const) {
      let prev = 1;
      for (let k = 0; k <= Math.min(n, 200); k++) {
        const v = binomialUpperTail(k, n, p);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        expect(v).toBeLessThanOrEqual(prev);
        expect(binomialUpperTail(k, n, p * 1.01)).toBeGreaterThanOrEqual(v);
        prev = v;
      }
    }
  });
});

describe('fisherExactGreater', () => {
  it("reproduces Fisher's tea-tasting experiment", () => {
    // Fisher (1935), The Design of Experiments, ch. 2; R's ?fisher.test example TeaTasting =
    // matrix(c(3, 1, 1, 3), 2): fisher.test(TeaTasting, alternative = "greater") gives p = 0.2429.
    // Exactly (C(4,3)C(4,1) + C(4,4)C(4,0)) / C(8,4) = 17/70.
    expectRel(fisherExactGreater(3, 1, 1, 3), 17 / 70, 1e-14);
    expect(fisherExactGreater(3, 1, 1, 3).toFixed(4)).toBe('0.2429');
  });

  it('matches the textbook hypergeometric extreme: P(all 10 of 10 drawn from 10 of 20) = 1 / C(20, 10)', () => {
    expectRel(fisherExactGreater(10, 0, 0, 10), 1 / 184756, 1e-14);
  });

  // Reference values: 60-digit mpmath 1.3.0 sums of exp(lnC(K,x) + lnC(F,n-x) - lnC(N,n)) from x = a up,
  // loggamma at mp.dps = 60 (scipy 1.17.1 hypergeom.sf(a - 1, N, a + c, a + b) agrees to ~1e-11).
  // Fleet-shaped tables: a terminal with 10k attempts against a 500k-attempt fleet, and margins of
  // hundreds of thousands.
  it.each([
    [30, 9970, 2000, 488000, 0.96604742971298897764],
    [80, 9920, 2000, 488000, 5.2828603059834956817e-8],
    [5, 995, 100, 998900, 8.7997567984055542958e-8],
    [45000, 155000, 65000, 235000, 1.711096105473202545e-12],
    [45000, 155000, 64000, 236000, 7.3646051778185297301e-23],
    [2, 10, 15, 3, 0.99998451901868614565],
  ])('[[%d, %d], [%d, %d]]', (a, b, c, d, expected) => {
    expectRel(fisherExactGreater(a, b, c, d), expected, 1e-11);
  });

  it('keeps the log of p-values far below the double range', () => {
    // mpmath as above: P = 9.598e-2658.
    expectRel(logFisherExactGreater(60000, 140000, 50000, 250000), -6118.009585523958303, 1e-12);
    expect(fisherExactGreater(60000, 140000, 50000, 250000)).toBe(0);
  });

  it('agrees with exact BigInt sums of binomial coefficients to 1e-12 relative', () => {
    const rand = rng(777);
    for (let trial = 0; trial < 300; trial++) {
      const scale = [5, 30, 200][trial % 3];
      const [a, b, c, d] = [0, 0, 0, 0].map(() => Math.floor(rand() * scale));
      const exact = exactFisherGreater(a, b, c, d);
      expectRel(fisherExactGreater(a, b, c, d), exact, 1e-12);
    }
  });

  it('handles degenerate tables', () => {
    expect(fisherExactGreater(0, 0, 0, 0)).toBe(1);
    expect(fisherExactGreater(0, 5, 3, 7)).toBe(1);
    expect(fisherExactGreater(4, 0, 0, 0)).toBe(1); // only one possible table
    expectRel(fisherExactGreater(3, 0, 0, 5), 1 / 56, 1e-14); // 1 / C(8, 3)
    expect(() => fisherExactGreater(-1, 2, 3, 4)).toThrow(RangeError);
    expect(() => fisherExactGreater(1, 2.5, 3, 4)).toThrow(RangeError);
  });

  it('is a probability and non-increasing as the terminal gains findings', () => {
    // Moving one attempt from "other" to "finding" at this terminal can only make the table more extreme.
    let prev = 1;
    for (let a = 0; a <= 120; a++) {
      const v = fisherExactGreater(a, 10_000 - a, 2000, 488_000);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(prev);
      prev = v;
    }
  });
});

describe('poissonUpperTail', () => {
  // mpmath 1.3.0 gammainc(k, 0, lambda, regularized=True) at mp.dps = 60 (= P(X >= k)).
  it.each([
    [3, 0.1, 0.00015465307026467167862],
    [150, 100, 1.8842104660386700135e-6],
    [90, 100, 0.85365382530126720509],
    [1, 1e-12, 9.9999999999949997989e-13],
  ])('P(X >= %d), lambda = %d', (k, lambda, expected) => {
    expectRel(poissonUpperTail(k, lambda), expected, 1e-12);
  });

  it('is the binomial limit and handles boundaries', () => {
    expect(poissonUpperTail(0, 5)).toBe(1);
    expect(poissonUpperTail(1, 0)).toBe(0);
    expectRel(poissonUpperTail(1, 2), 1 - Math.exp(-2), 1e-15);
    expect(logPoissonUpperTail(5000, 100)).toBeLessThan(-700);
    expect(Number.isFinite(logPoissonUpperTail(5000, 100))).toBe(true);
    expect(() => poissonUpperTail(1, -1)).toThrow(RangeError);
  });
});

describe('benjaminiHochberg', () => {
  it('matches R multtest mt.rawp2adjp "BH" (= p.adjust(p, "BH")) on statsmodels reference data', () => {
    // statsmodels/stats/tests/test_multi.py: pval0 and column 'BH' of res_multtest1, produced with R's
    // multtest package; given here in input (unsorted) order.
    const p = [
      0.838541367553, 0.642193923795, 0.680845947633, 0.967833824309, 0.71626938238, 0.177096952723,
      5.23656777208e-5, 0.0202732688798, 0.00028140506198, 0.0149877310796,
    ];
    const expected = [
      9.3171263061444454e-1, 8.9533672797500008e-1, 8.9533672797500008e-1, 9.67833824309e-1,
      8.9533672797500008e-1, 3.5419390544599999e-1, 5.2365677720800005e-4, 5.0683172199499998e-2,
      1.4070253098999999e-3, 4.995910359866667e-2,
    ];
    const q = benjaminiHochberg(p);
    q.forEach((v, i) => expectRel(v, expected[i], 1e-14));
  });

  it('matches R multtest on a second statsmodels case (res_multtest3)', () => {
    const p = [0.001, 0.002, 0.003, 0.004, 0.005, 0.05, 0.06, 0.07, 0.08, 0.09];
    const expected = [0.01, 0.01, 0.01, 0.01, 0.01, 0.08333333333333334, 0.0857142857142857, 0.0875, 0.0888888888888889, 0.09];
    benjaminiHochberg(p).forEach((v, i) => expectRel(v, expected[i], 1e-14));
  });

  it('rejects the same 4 of 15 hypotheses as Benjamini & Hochberg (1995) at q* = 0.05', () => {
    // The paper's worked example (15 p-values from Neuhaus et al.'s thrombolysis trial): the step-up rule
    // rejects 4 (also recorded in statsmodels' test_fdr_bky: "single step-up:4").
    const p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719, 0.6528, 0.759, 1];
    const q = benjaminiHochberg(p);
    expect(q.filter((v) => v <= 0.05)).toHaveLength(4);
    expectRel(q[3], (15 / 4) * 0.0095, 1e-14);
    expect(q[14]).toBe(1);
  });

  it('is monotone, >= p, capped at 1, order-preserving and input-order stable', () => {
    const rand = rng(99);
    for (let trial = 0; trial < 50; trial++) {
      const m = 1 + Math.floor(rand() * 300);
      const p = Array.from({ length: m }, () => (rand() < 0.2 ? rand() * 1e-6 : rand()));
      if (trial % 5 === 0) p.push(p[0], p[0]); // ties
      const q = benjaminiHochberg(p);
      expect(q).toHaveLength(p.length);
      for (let i = 0; i < p.length; i++) {
        expect(q[i]).toBeGreaterThanOrEqual(p[i]);
        expect(q[i]).toBeLessThanOrEqual(1);
        for (let j = 0; j < p.length; j += 7) {
          if (p[i] < p[j]) expect(q[i]).toBeLessThanOrEqual(q[j]);
          if (p[i] === p[j]) expect(q[i]).toBe(q[j]);
        }
      }
      // Permuting the input permutes the output the same way.
      const rev = benjaminiHochberg([...p].reverse());
      expect(rev).toEqual([...q].reverse());
    }
  });

  it('handles empty input and rejects invalid p-values', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(benjaminiHochberg([0.2])).toEqual([0.2]);
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(RangeError);
    expect(() => benjaminiHochberg([1.2])).toThrow(RangeError);
  });
});
