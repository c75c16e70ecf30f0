// How one input's values are read, decided from the values: the date shape of its timestamp and
// settlement-date columns and the decimal mark of its amounts. Built once the header is known; ingest
// shows it every row before the row is normalized, and holds rows while a decision is open.
import { DateInference, orderOfPattern, type DateDecision } from '../parsers/dates.js';
import type { Profile } from '../parsers/mapping.js';
import { DecimalInference, type DecimalMark } from '../parsers/numbers.js';
import type { ParseInfo, RawRow } from '../parsers/types.js';
import { TxlogError } from './errors.js';

export interface ReadingDecisions {
  timestamp: DateDecision | null;
  settlementDate: DateDecision | null;
  /** The date-fns pattern given by a mapping (then nothing is inferred). */
  dateFormat: string | null;
  decimal: { mark: DecimalMark; why: string; column: string; ambiguous: number };
}

export interface Reading {
  timeZone?: string;
  dateFormat?: string;
  dates?: { timestamp: DateInference; settlementDate: DateInference };
  decimals: DecimalInference;
  observe(row: RawRow): void;
  pending(): boolean;
  /** The held rows cannot wait longer: decide by the default or stop (day/month order cannot default). */
  settle(file: string): void;
  decisions(): ReadingDecisions;
}

/** A date column that stays day/month ambiguous: the job stops, and inspect offers both patterns. */
export class AmbiguousDates extends TxlogError {
  constructor(
    message: string,
    readonly column: string,
    readonly patterns: { dmy: string; mdy: string },
  ) {
    super('DATE_AMBIGUOUS', message);
  }
}

/** How long rows may wait for a deciding value before the column counts as ambiguous. */
export const HOLD_LIMIT = 100_000;

type Info = ParseInfo & { columns?: Partial<Record<string, string>>; decimal?: DecimalMark };

export function readingOf(info: Info, mapping: Profile | undefined, excelSerials: boolean): Reading {
  const column = (field: string) => (info.columns?.[field] ? `"${info.columns[field]}"` : field);
  const dateFormat = info.dateFormat ?? mapping?.dateFormat;
  const timeZone = info.timeZone ?? mapping?.timeZone;
  const forcedDecimal = info.decimal ?? mapping?.decimal;
  const order = dateFormat ? orderOfPattern(dateFormat) : undefined;
  // A dateFormat is read by date-fns in normalize; inference then only names the order for inspect.
  const dates = dateFormat
    ? undefined
    : { timestamp: new DateInference(column('timestamp'), excelSerials, order), settlementDate: new DateInference(column('settlementDate'), excelSerials, order) };
  const decimals = new DecimalInference(column('amount'), forcedDecimal);
  return {
    timeZone,
    dateFormat,
    dates,
    decimals,
    observe(row) {
      const f = row.fields;
      if (dates) {
        if (typeof f.timestamp === 'string') dates.timestamp.observe(f.timestamp, row.line);
        if (typeof f.settlementDate === 'string') dates.settlementDate.observe(f.settlementDate, row.line);
      }
      if (typeof f.amount === 'string') decimals.observe(f.amount, row.line);
    },
    pending() {
      return decimals.pending || (dates !== undefined && (dates.timestamp.pending || dates.settlementDate.pending));
    },
    settle(file) {
      for (const d of dates ? [dates.timestamp, dates.settlementDate] : []) {
        if (d.pending && !d.giveUp()) throw new AmbiguousDates(d.ambiguityMessage(file), d.column, d.patterns()!);
      }
      decimals.assumeDefault();
    },
    decisions() {
      return {
        timestamp: dates && dates.timestamp.values > 0 ? dates.timestamp.decision() : null,
        settlementDate: dates && dates.settlementDate.values > 0 ? dates.settlementDate.decision() : null,
        dateFormat: dateFormat ?? null,
        decimal: { mark: decimals.mark ?? '.', why: decimals.why(), column: decimals.column, ambiguous: decimals.ambiguous },
      };
    },
  };
}
