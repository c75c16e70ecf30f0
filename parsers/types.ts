/** A row as a format parser produced it: canonical field names (formats.md), values still raw. */
export interface RawRow {
  /** 1-based physical line where the row starts (for JSON arrays: where the element starts). */
  line: number;
  fields: Record<string, unknown>;
  /** The row's original text, for the rejects file if normalization refuses it. */
  raw: string;
}

/** A row that could not even be split into fields (bad JSON, wrong column count, binary noise). */
export interface RowProblem {
  line: number;
  reason: string;
  raw: string;
}

export type RowItem = { row: RawRow; problem?: undefined } | { problem: RowProblem; row?: undefined };

/** What a parser learnt about its input, for report.json's `inputs[]` and for error messages. */
export interface ParseInfo {
  format: 'ndjson' | 'json' | 'csv' | 'tsv' | 'xml';
  /** Mapping profile used for a merchant export, if any. */
  profile: string | null;
  /** Lines before the header row (export preambles), not counted as rows. */
  skippedLines: number;
  /** Header as found in the file, for messages when a required field cannot be mapped. */
  headers?: string[];
  /** A mapping profile's zone for timestamps without an offset (overrides --tz for reading this input). */
  timeZone?: string;
  /** A mapping profile's date-fns pattern for timestamps the built-in reader does not know. */
  dateFormat?: string;
}

export interface ParseOptions {
  /** Display name of the input (path or `-`), used in messages. */
  name: string;
  /** Mapping profile file or built-in profile name forced by the user (`--mapping`). */
  mapping?: string;
  /** Forced delimiter for CSV. */
  delimiter?: string;
  /** Kind forced by the user (--terminal/--events/--settlement): header detection looks for that kind only. */
  kind?: 'terminal' | 'events' | 'settlement';
}

/**
 * A format parser turns decoded text chunks into batches of rows or problems. It never throws for bad
 * rows; it throws `TxlogError` only when the input as a whole cannot be read (e.g. a CSV whose header
 * has none of the required fields).
 */
export interface FormatParser {
  id: ParseInfo['format'];
  parse(text: AsyncIterable<string>, options: ParseOptions, info: ParseInfo): AsyncIterable<RowItem[]>;
}
