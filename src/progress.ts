/**
 * Progress on stderr while inputs are read: bytes of the total, records per second, time left. Only for a
 * terminal (a log file or a pipe gets nothing), redrawn in place at most twice a second.
 */
export interface ProgressSource {
  progress: { bytesRead: number; total: number | null };
}

export interface ProgressOut {
  write(s: string): void;
}

export class Progress {
  private timer: NodeJS.Timeout | null = null;
  private readonly started: number;
  private drawn = false;
  records = 0;

  constructor(
    private readonly sources: readonly ProgressSource[],
    private readonly out: ProgressOut,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.started = now();
  }

  start(intervalMs = 500): void {
    this.timer = setInterval(() => this.draw(), intervalMs);
    this.timer.unref();
  }

  /** One line: `reading 412 MB of 1.2 GB (34%) · 181k records/s · about 1 min 20 s left`. */
  line(): string {
    let read = 0;
    let total = 0;
    let known = true;
    for (const s of this.sources) {
      read += s.progress.bytesRead;
      if (s.progress.total === null) known = false;
      else total += s.progress.total;
    }
    const seconds = Math.max((this.now() - this.started) / 1000, 1e-3);
    const rate = this.records / seconds;
    const parts = [known && total > 0 ? `reading ${bytes(read)} of ${bytes(total)} (${Math.min(100, Math.floor((read / total) * 100))}%)` : `reading ${bytes(read)}`];
    parts.push(`${compact(rate)} records/s`);
    if (known && total > 0 && read > 0 && read < total) parts.push(`about ${duration(((total - read) / read) * seconds)} left`);
    return parts.join(' · ');
  }

  draw(): void {
    this.out.write(`\r\x1b[2K${this.line()}`);
    this.drawn = true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.drawn) this.out.write('\r\x1b[2K');
  }
}

function bytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(0)} MB`;
  return `${(n / 1e3).toFixed(0)} kB`;
}

function compact(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(0)}k` : n.toFixed(0);
}

function duration(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s - m * 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}
