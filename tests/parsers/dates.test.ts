import { describe, expect, it } from 'vitest';
import { DateInference, classifyDate, orderOfPattern } from '../../parsers/dates.js';

// The host zone must never enter: these run with a zone that has daylight saving.
process.env.TZ = 'America/New_York';

const wall = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => ({ wall: Date.UTC(y, mo - 1, d, h, mi, s) });

function column(values: string[]): DateInference {
  const inf = new DateInference('"Date"');
  values.forEach((v, i) => inf.observe(v, i + 2));
  return inf;
}

describe('date shapes read from the values', () => {
  it.each([
    ['3/14/2025 9:00 PM', wall(2025, 3, 14, 21)],
    ['3/14/2025 12:05 AM', wall(2025, 3, 14, 0, 5)],
    ['3/14/25 12:05 PM', wall(2025, 3, 14, 12, 5)],
    ['Mar 4, 2025 9:00 AM', wall(2025, 3, 4, 9)],
    ['March 4 2025', wall(2025, 3, 4)],
    ['Tue, Mar 4, 2025 09:00:00', wall(2025, 3, 4, 9)],
    ['04-Mar-2025', wall(2025, 3, 4)],
    ['04-Mar-2025 13:30:15', wall(2025, 3, 4, 13, 30, 15)],
    ['2025年3月4日 09:00:00', wall(2025, 3, 4, 9)],
    ['2025年3月4日 下午9:00', wall(2025, 3, 4, 21)],
    ['2025/3/4 下午 9:00:00', wall(2025, 3, 4, 21)],
    ['2025-03-04 9:00 PM', wall(2025, 3, 4, 21)],
    ['1741078800', { instant: 1741078800_000 }],
    ['1741078800123', { instant: 1741078800123 }],
    ['1741078800.5', { instant: 1741078800500 }],
  ])('%s', (text, expected) => {
    const inf = column([text]);
    expect(inf.read(text)).toEqual(expected);
  });

  it('decides day first from a value whose first part is above 12, and reads earlier values with it', () => {
    const inf = column(['03.03.2025 08:00:00', '04.03.2025 09:00:00', '13.03.2025 10:00:00']);
    expect(inf.order).toBe('dmy');
    expect(inf.read('04.03.2025 09:00:00')).toEqual(wall(2025, 3, 4, 9));
    expect(inf.decision()).toMatchObject({ format: 'dd.MM.yyyy HH:mm:ss', order: 'dmy' });
    expect(inf.decision().why).toContain('"13.03.2025 10:00:00" on line 4');
  });

  it('decides month first from a value whose second part is above 12', () => {
    const inf = column(['3/4/2025 9:00 PM', '3/14/2025 9:00 AM']);
    expect(inf.order).toBe('mdy');
    expect(inf.read('3/4/2025 9:00 PM')).toEqual(wall(2025, 3, 4, 21));
  });

  it('stays pending while every value is ambiguous, and says both fixes', () => {
    const inf = column(['03.03.2025 08:00:00', '04.03.2025 09:00:00']);
    expect(inf.pending).toBe(true);
    const msg = inf.ambiguityMessage('x.csv');
    expect(msg).toContain('column "Date"');
    expect(msg).toContain('"dateFormat": "dd.MM.yyyy HH:mm:ss"');
    expect(msg).toContain('"dateFormat": "MM.dd.yyyy HH:mm:ss"');
  });

  it('rejects a value that contradicts the decision, naming the format expected and the fix', () => {
    const inf = column(['13.03.2025 08:00']);
    expect(inf.read('03.13.2025 08:00')).toMatch(/not a valid date in this column's format dd\.MM\.yyyy HH:mm \(day first/);
    expect(inf.read('yesterday')).toBeNull();
    expect(inf.hint()).toMatch(/other values are dd\.MM\.yyyy HH:mm\. Fix: .*"dateFormat" in --mapping/);
  });

  it('reads Excel serials only from workbooks', () => {
    expect(classifyDate('45720.375')).toBeUndefined();
    expect(classifyDate('45720.375', true)?.value).toEqual(wall(2025, 3, 4, 9));
  });

  it('orders of date-fns patterns', () => {
    expect(orderOfPattern('dd.MM.yyyy')).toBe('dmy');
    expect(orderOfPattern('M/d/yyyy h:mm a')).toBe('mdy');
    expect(orderOfPattern("yyyy-MM-dd'T'HH:mm")).toBe('mdy');
  });
});
