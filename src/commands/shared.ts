import { InvalidArgumentError } from 'commander';

/** Where a command writes and how it reports its exit code; tests pass their own. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  color: boolean;
}

export interface CommandContext {
  io: Io;
  setExit: (code: number) => void;
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

/** Generation time is injected so identical inputs give identical bytes (SOURCE_DATE_EPOCH as in reproducible builds). */
export function defaultGeneratedAt(): string {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000).toISOString();
  return new Date().toISOString();
}
