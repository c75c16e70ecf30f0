// Decimal separators of an amount column, decided from its values: European exports write 149,00 and
// 1.234,56, Swiss 1'234.56, French 1 234,56. The rule (documented in docs/mapping.md):
//
// - a comma followed by one or two digits at the end (149,00), or a dot group before a comma (1.234,56),
//   makes the column decimal-comma; a dot followed by one or two digits at the end (12.30), or a comma group
//   before a dot (1,234.56), makes it decimal-point. The first such value decides.
// - a value whose only separator is followed by exactly three digits (1,234 or 1.234, also 12,345,678)
//   decides nothing: it is read with the column's decision, and when none is ever made, as a thousands
//   separator (1234), which the caller states in a warning with the mapping fix ("decimal": ",").
// - spaces (also no-break and narrow no-break) and apostrophes between digits are thousands separators.

export type DecimalMark = '.' | ',';

// Grouping characters that are never decimal marks: space, no-break space, narrow no-break, thin space, ' and ’.
const GROUPING = /(?<=\d)[\s\u00a0\u202f\u2009'\u2019](?=\d{3})/g;

/** What one value says about the column's decimal mark: a mark, 'ambiguous' (1,234) or nothing. */
export function decimalEvidence(value: string): DecimalMark | 'ambiguous' | undefined {
  const core = /\d[\d.,]*\d|\d/.exec(value.trim().replace(GROUPING, ''))?.[0];
  if (!core) return undefined;
  const comma = core.lastIndexOf(',');
  const dot = core.lastIndexOf('.');
  // Both marks: the last one is the decimal mark (1.234,56 / 1,234.56).
  if (comma >= 0 && dot >= 0) return comma > dot ? ',' : '.';
  const at = Math.max(comma, dot);
  if (at < 0) return undefined;
  const mark = core[at] as DecimalMark;
  // Three digits after nothing but zeros (0,250 / 0.050): a decimal mark whatever the column's (no one writes
  // 0,250 for 250), so it says nothing about the column; 0,50 still says decimal comma.
  if (core.length - at - 1 === 3 && /^0+$/.test(core.slice(0, at))) return undefined;
  // The same mark twice is grouping (12,345,678), and one group of three digits is either.
  if (core.indexOf(mark) !== at || core.length - at - 1 === 3) return 'ambiguous';
  return mark;
}

/** A column whose ambiguous amounts were read by the thousands-separator default. */
export interface DefaultedDecimals {
  column: string;
  first: { value: string; line: number };
  count: number;
}

export function defaultedDecimalsWarning(u: DefaultedDecimals): string {
  const a = u.first;
  return (
    `amount (column ${u.column}): ${u.count} value(s) like "${a.value}" (line ${a.line}) could be decimals or thousands; ` +
    `no value in the column has two decimals, so they were read with a thousands separator ("1,234" as 1234). ` +
    `Fix, if they are decimals: pass --mapping FILE where FILE holds {"decimal": "${a.value.includes(',') ? ',' : '.'}"}`
  );
}

/** Decides a column's decimal mark from the values it sees; `forced` from a mapping's `decimal`. */
export class DecimalInference {
  mark: DecimalMark | undefined;
  private decidedBy: { value: string; line: number } | undefined;
  /** First value read only by the thousands-separator default, for the warning. */
  firstAmbiguous: { value: string; line: number } | undefined;
  ambiguous = 0;

  constructor(
    readonly column: string,
    readonly forced?: DecimalMark,
  ) {
    this.mark = forced;
  }

  private defaulted = false;

  /** True while an ambiguous value waits for a deciding one. */
  get pending(): boolean {
    return this.mark === undefined && this.firstAmbiguous !== undefined && !this.defaulted;
  }

  /** Stop waiting: ambiguous values are read by the thousands-separator rule from now on. */
  assumeDefault(): void {
    this.defaulted = true;
  }

  observe(value: string, line: number): void {
    if (this.mark !== undefined) return;
    const e = decimalEvidence(value);
    if (e === 'ambiguous') {
      this.firstAmbiguous ??= { value: value.trim(), line };
    } else if (e !== undefined && this.mark === undefined) {
      this.mark = e;
      this.decidedBy = { value: value.trim(), line };
    }
  }

  /**
   * Counts an ambiguous value read before any value decided the mark. Apart from `observe`, which sees rows
   * as they arrive: a row is counted where it is accounted for, so a worker counts only its own rows.
   */
  count(value: string, line: number): void {
    if (this.forced !== undefined || (this.decidedBy !== undefined && line > this.decidedBy.line)) return;
    if (decimalEvidence(value) === 'ambiguous') this.ambiguous++;
  }

  /** The value with a dot as the decimal mark and no grouping, for parseAmount; undefined: leave as is. */
  canonical(value: string): string | undefined {
    const mark = this.mark ?? '.';
    if (mark === '.' && plainDecimal(value)) return undefined;
    let s = value.replace(GROUPING, '');
    // A mark after a lone zero (0,250 / 0.050) is never a thousands group: it is the decimal mark.
    if (/(?<![\d.,])0[.,]\d/.test(s) && (s.match(/[.,]/g) ?? []).length === 1) {
      const read = s.replace(',', '.');
      return read === value ? undefined : read;
    }
    if (mark === ',') {
      // 1.234,56 -> 1234.56; a dot that is not a thousands group is left for parseAmount to refuse.
      s = s.replace(/(?<=\d)\.(?=\d{3}(?:\D|$))/g, '').replace(',', '.');
    } else {
      s = s.replace(/(?<=\d),(?=\d{3}(?:\D|$))/g, '');
    }
    return s === value ? undefined : s;
  }

  why(): string {
    if (this.forced) return `forced with "decimal": "${this.forced}" in the mapping`;
    if (this.decidedBy) return `"${this.decidedBy.value}" on line ${this.decidedBy.line} has ${this.mark === ',' ? 'a decimal comma' : 'a decimal point'}`;
    if (this.firstAmbiguous) return `no value has decimals; "${this.firstAmbiguous.value}" (line ${this.firstAmbiguous.line}) is read with a thousands separator`;
    return 'no value has a decimal separator other than a point';
  }

  /** What the warning for a column read only by the default rule says, or undefined; `count` adds other readers' values. */
  unread(): DefaultedDecimals | undefined {
    if (this.mark !== undefined || !this.firstAmbiguous) return undefined;
    return { column: this.column, first: this.firstAmbiguous, count: this.ambiguous };
  }

  warning(): string | undefined {
    const u = this.unread();
    return u && defaultedDecimalsWarning(u);
  }
}

/** Digits and dots only ("12.30"): nothing for a decimal point reading to change. */
function plainDecimal(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 48 || c > 57) && c !== 46) return false;
  }
  return true;
}
