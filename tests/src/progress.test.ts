import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/progress.js';

describe('progress line', () => {
  it('states bytes of the total, records per second and the time left', () => {
    let t = 0;
    const a = { progress: { bytesRead: 0, total: 300e6 } };
    const b = { progress: { bytesRead: 0, total: 100e6 } };
    const out: string[] = [];
    const p = new Progress([a, b], { write: (s) => out.push(s) }, () => t);
    t = 10_000;
    a.progress.bytesRead = 100e6;
    p.records = 500_000;
    expect(p.line()).toBe('reading 100 MB of 400 MB (25%) · 50k records/s · about 30 s left');
    p.draw();
    p.stop();
    // Drawn in place and cleared at the end, so the summary that follows starts on a clean line.
    expect(out).toEqual(['\r\x1b[2K' + p.line(), '\r\x1b[2K']);
  });

  it('has no total or time left for standard input', () => {
    const p = new Progress([{ progress: { bytesRead: 5e6, total: null } }], { write: () => {} }, () => 1000);
    expect(p.line()).toBe('reading 5 MB · 0 records/s');
  });

  it('writes nothing when never drawn', () => {
    const out: string[] = [];
    const p = new Progress([], { write: (s) => out.push(s) });
    p.stop();
    expect(out).toEqual([]);
  });
});
