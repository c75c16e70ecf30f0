import type { TerminalEvent } from './model.js';
import type { CauseId } from '../rules/causes.js';
import { eventName, INFORMATIONAL_EVENTS } from '../rules/lib/util.js';
import type { CodeEntry } from '../rules/types.js';

/** Per-terminal event timelines, sorted once after ingest, searched by binary search. */
export class EventIndex {
  private readonly byTerminal = new Map<string, TerminalEvent[]>();
  private sorted = true;
  readonly counts = new Map<string, number>();
  size = 0;

  add(event: TerminalEvent): void {
    let list = this.byTerminal.get(event.terminalId);
    if (!list) {
      list = [];
      this.byTerminal.set(event.terminalId, list);
    }
    if (list.length && list[list.length - 1].ts > event.ts) this.sorted = false;
    list.push(event);
    this.counts.set(event.event, (this.counts.get(event.event) ?? 0) + 1);
    this.size++;
  }

  /** Every event, by terminal, as read (for --partial). */
  state(): { byTerminal: [string, TerminalEvent[]][]; counts: [string, number][] } {
    return { byTerminal: [...this.byTerminal], counts: [...this.counts] };
  }

  /** Adds another shard's events; shards hold disjoint terminals. */
  absorb(s: { byTerminal: [string, TerminalEvent[]][]; counts: [string, number][] }): void {
    for (const [t, list] of s.byTerminal) {
      this.byTerminal.set(t, list);
      this.size += list.length;
    }
    for (const [k, v] of s.counts) this.counts.set(k, (this.counts.get(k) ?? 0) + v);
  }

  seal(): void {
    if (this.sorted) return;
    for (const list of this.byTerminal.values()) list.sort((a, b) => a.ts - b.ts || a.src.line - b.src.line);
    this.sorted = true;
  }

  near(terminalId: string, ts: number, beforeMs: number, afterMs: number): readonly TerminalEvent[] {
    const list = this.byTerminal.get(terminalId);
    if (!list) return [];
    const from = ts - beforeMs;
    const to = ts + afterMs;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].ts < from) lo = mid + 1;
      else hi = mid;
    }
    let end = lo;
    while (end < list.length && list[end].ts <= to) end++;
    return list.slice(lo, end);
  }
}

/**
 * A terminal's fault events in time order with the cause the events table gives each: routine events
 * (NETWORK_UP, REBOOT, BATCH_CLOSE, ...) and names the table does not know are left out.
 */
export function faultEventsOf(index: EventIndex, lookups: { event(name: string): CodeEntry | undefined }, terminalId: string): { ts: number; name: string; cause: CauseId }[] {
  const out: { ts: number; name: string; cause: CauseId }[] = [];
  for (const e of index.near(terminalId, 0, Infinity, Infinity)) {
    const name = eventName(e);
    const cause = INFORMATIONAL_EVENTS.has(name) ? undefined : lookups.event(name)?.cause;
    if (cause && cause !== 'unknown' && cause !== 'approved') out.push({ ts: e.ts, name, cause });
  }
  return out;
}
