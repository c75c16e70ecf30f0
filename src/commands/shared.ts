import { InvalidArgumentError, type Command } from 'commander';
import { ENCODING_ALIASES, normalizeEncoding } from '../../parsers/source.js';
import { isValidZone } from '../time.js';

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
    const n = Number(value);
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

/** `--currency`: an ISO 4217 alphabetic code (three letters), upper-cased. */
export function currency(value: string): string {
  if (!/^[A-Za-z]{3}$/.test(value.trim())) throw new InvalidArgumentError('Give an ISO 4217 code of three letters such as CNY, USD or EUR.');
  return value.trim().toUpperCase();
}

/** `-q, --quiet`, the same words on every command. */
export function quietOption(command: Command): Command {
  return command.option('-q, --quiet', 'print nothing but errors and warnings (on stderr); exit codes are unchanged');
}

/** Generation time is injected so identical inputs give identical bytes (SOURCE_DATE_EPOCH as in reproducible builds). */
export function defaultGeneratedAt(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}

/** `--delimiter`: one character; `tab` or `\t` for a tab. */
export function delimiter(value: string): string {
  if (value === '\\t' || value.toLowerCase() === 'tab') return '\t';
  if ([...value].length !== 1) throw new InvalidArgumentError('Give one character, such as , ; | or tab.');
  return value;
}
