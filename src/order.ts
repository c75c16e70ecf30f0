import type { Finding } from './model.js';

/** By what a finding says first, so shuffled input gives the same order; where it was read only breaks ties. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.terminalId, b.terminalId) ||
    cmp(a.timestamp ?? '', b.timestamp ?? '') ||
    cmp(a.txnId ?? '', b.txnId ?? '') ||
    cmp(a.rrn ?? '', b.rrn ?? '') ||
    cmp(a.outcome, b.outcome) ||
    cmp(a.settlement?.settlementDate ?? '', b.settlement?.settlementDate ?? '') ||
    cmp(a.settlement?.status ?? '', b.settlement?.status ?? '') ||
    cmp(a.amount ?? '', b.amount ?? '') ||
    cmp(a.src.file, b.src.file) ||
    a.src.line - b.src.line
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Observed findings in that order. */
export function compareObserved(a: { finding: Finding }, b: { finding: Finding }): number {
  return compareFindings(a.finding, b.finding);
}

/** The first index whose value is not below `x`, in an ascending list. */
export function lowerBound(list: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
