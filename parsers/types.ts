import type { RowShare } from './share.js';

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

/** A recognised non-record (a bill's summary footer, a comment line): counted with its line, never a reject. */
export interface RowSkip {
  line: number;
  reason: string;
  /** The line's text (clipped), for inspect; never written to the report. */
  raw?: string;
}

/** `owner`: with a share, the share the line's plainly written terminal id hashes to (-1 or absent: not plain). */
export type RowItem =
  | { row: RawRow; problem?: undefined; skip?: undefined; owner?: number }
  | { problem: RowProblem; row?: undefined; skip?: undefined; owner?: number }
  | { skip: RowSkip; row?: undefined; problem?: undefined; owner?: number };

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
  /** Things about the input as a whole that people should know (told once, not per row). */
  warnings?: string[];
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
  /** A worker's share of the rows: lines of other shares are dropped unparsed (parsers/share.ts). */
  share?: RowShare;
  /** The terminal every row of an export without a terminal column comes from (--terminal-id): a header needs none. */
  terminalId?: string;
}

/**
 * The synchronous heart of a format (the csv-parse shape): text in, rows out, no streams inside, so the
 * same core runs under a stream, over a byte range in a worker, or in a test. It never throws for bad
 * rows; it throws `TxlogError` only when the input as a whole cannot be read (e.g. a CSV whose header has
 * none of the required fields).
 */
export interface ParserCore {
  push(text: string): RowItem[];
  end(): RowItem[];
}

export interface FormatParser {
  id: ParseInfo['format'];
  /** May read a mapping profile first, hence async; fills `info` as it learns about the input. */
  open(options: ParseOptions, info: ParseInfo): ParserCore | Promise<ParserCore>;
}
