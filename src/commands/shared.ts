import { InvalidArgumentError, type Command } from 'commander';
import { ENCODING_ALIASES, normalizeEncoding } from '../../parsers/source.js';
import { currencyProblem } from '../currency.js';
import { TxlogError } from '../errors.js';
import { isValidZone, validYmd } from '../time.js';

/** Where a command writes and how it reports its exit code; tests pass their own. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /**
   * Whether stdout is a terminal that shows colour. `main` passes commands an Io whose `color` is the
   * decision for this run (decideColor: --color/--no-color, then NO_COLOR/FORCE_COLOR, then this).
   */
  color: boolean;
  /** Environment read for NO_COLOR and FORCE_COLOR (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface CommandContext {
  io: Io;
  setExit: (code: number) => void;
}

/**
 * The one place that decides whether human output is coloured. Precedence: the flag (`--color` /
 * `--no-color`), then the environment, then whether stdout is a terminal. `FORCE_COLOR` colours even when
 * stdout is not a terminal (`FORCE_COLOR=0` or `false` turns colour off); `NO_COLOR` with any non-empty
 * value turns it off (no-color.org). When both are set, FORCE_COLOR wins, as in Node's own tty module.
 */
export function decideColor(flag: boolean | undefined, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim());
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}

export function number(what: string, min: number, max = Infinity, integer = false) {
  return (value: string): number => {
    // Number() reads "" and " " as 0 and "0x10" as 16: only plain decimals are numbers here.
    const plain = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value);
    const n = plain ? Number(value) : NaN;
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${what} must be ${integer ? 'a whole number' : 'a number'} from ${min}${max === Infinity ? '' : ` to ${max}`}, got "${value}"`);
    }
    return n;
  };
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, kb: 2 ** 10, kib: 2 ** 10, m: 2 ** 20, mb: 2 ** 20, mib: 2 ** 20, g: 2 ** 30, gb: 2 ** 30, gib: 2 ** 30 };

/** `--memory-limit`: bytes, or a size like 512M, 1.5G, 2GiB (binary units). Value: bytes. */
export function byteSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? SIZE_UNITS[m[2].toLowerCase()] : undefined;
  const n = m && unit ? Math.floor(Number(m[1]) * unit) : NaN;
  if (!Number.isFinite(n) || n < 1) throw new InvalidArgumentError(`must be a size such as 512M or 2G (bytes, K, M or G), got "${value}"`);
  return n;
}

/** The encodings the reader decodes (parsers/source.ts), by their canonical names. */
export const ENCODINGS: readonly string[] = [...new Set(Object.values(ENCODING_ALIASES))];
/** Every name `--encoding` accepts (canonical names and aliases such as gbk, utf8, iso-8859-1). */
export const ENCODING_NAMES: readonly string[] = Object.keys(ENCODING_ALIASES);

// Commander prefixes these messages with the option and the value ("option '--tz <zone>' argument 'X' is
// invalid."), so they say what is allowed.

/** `--encoding`: one the reader supports, checked when the option is read. Value: the canonical name. */
export function encoding(value: string): string {
  try {
    return normalizeEncoding(value);
  } catch {
    throw new InvalidArgumentError(`Allowed: ${ENCODING_NAMES.join(', ')}.`);
  }
}

/** `--tz`: an IANA zone the runtime knows (Intl), checked when the option is read. */
export function timeZone(value: string): string {
  if (!isValidZone(value)) throw new InvalidArgumentError(`Unknown time zone "${value}": give an IANA zone name such as UTC, Asia/Shanghai or Europe/Berlin.`);
  return value;
}

/** `--currency`: an ISO 4217 alphabetic code in use (src/currency.ts), upper-cased; RMB is told to be CNY. */
export function currency(value: string): string {
  const code = value.trim().toUpperCase();
  const problem = currencyProblem(code);
  if (problem) throw new InvalidArgumentError(`${problem[0].toUpperCase()}${problem.slice(1)}.`);
  return code;
}

/** `-q, --quiet`, the same words on every command. */
export function quietOption(command: Command): Command {
  return command.option('-q, --quiet', 'print nothing but errors and warnings (on stderr); exit codes are unchanged');
}

/** The latest instant a Date holds (ECMAScript: ±8.64e15 ms from the epoch). */
const MAX_DATE_MS = 8.64e15;

/**
 * Generation time is injected so identical inputs give identical bytes (SOURCE_DATE_EPOCH as in reproducible
 * builds: whole seconds since 1970-01-01 UTC). A value that is set but not such a number stops the run rather
 * than being ignored, since the caller asked for pinned bytes.
 */
export function defaultGeneratedAt(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date().toISOString();
  const s = epoch.trim();
  if (!/^\d+$/.test(s) || Number(s) * 1000 > MAX_DATE_MS) {
    throw new TxlogError(
      'BAD_SOURCE_DATE_EPOCH',
      `SOURCE_DATE_EPOCH is "${epoch}": expected a whole number of seconds since 1970-01-01 UTC, from 0 to ${MAX_DATE_MS / 1000} (e.g. SOURCE_DATE_EPOCH=1714788000 for 2024-05-04T02:00:00Z); fix or unset it`,
    );
  }
  return new Date(Number(s) * 1000).toISOString();
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))$/i;

/** `--generated-at`: an ISO 8601 instant with its zone (Z or an offset), kept as written. */
export function generatedAt(value: string): string {
  const m = ISO_INSTANT.exec(value.trim());
  const [y, mo, d, h, mi, sec, , oh, om] = (m ?? []).slice(1).map((x) => (x === undefined ? 0 : Number(x)));
  // Date.parse rolls 2026-02-30 over to March, so the fields are checked one by one.
  const valid = m !== null && validYmd(y, mo, d) && h <= 23 && mi <= 59 && sec <= 59 && oh <= 23 && om <= 59 && Number.isFinite(Date.parse(value.trim()));
  if (!valid) throw new InvalidArgumentError('Give an ISO 8601 date and time with its zone, such as 2024-05-04T02:00:00Z or 2024-05-04T10:00:00+08:00.');
  return value.trim();
}

/** `--delimiter`: one character; `tab` or `\t` for a tab. */
/** A terminal id given on the command line: what an id in a file may be (no control characters, not blank, 64 at most). */
export function terminalIdValue(value: string): string {
  const v = value.trim();
  if (v === '' || v.length > 64 || /[\u0000-\u001f\u007f]/.test(v)) throw new InvalidArgumentError('Give the terminal id as the settlement side writes it, e.g. POS-1 or 88000001 (1 to 64 characters).');
  return v;
}

export function delimiter(value: string): string {
  if (value === '\\t' || value.toLowerCase() === 'tab') return '\t';
  if ([...value].length !== 1) throw new InvalidArgumentError('Give one character, such as , ; | or tab.');
  return value;
}
