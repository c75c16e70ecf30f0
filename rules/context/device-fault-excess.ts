import type { ContextFinding, ContextRule, Revision } from '../types.js';
import { DEVICE_LABEL, REASON_BY_ID, S, type Device } from '../reasons.js';
import { logBinomialUpperTail } from '../../src/stats.js';
import { episodeStarts, eventName } from '../lib/util.js';

// "A terminal where every third PIN is wrong has a broken PIN pad or a skimmer" (causes.md): cardholder
// mistakes are background everywhere; the same reason at many times the fleet's rate, at one terminal, in
// one stretch of time, is the device. The excess becomes the device's cause; the rest of the day is left.
const DEVICES: readonly Device[] = ['pinpad', 'reader', 'software'];
/** Whose fault an excess is: the device's hardware, or (trace numbers reused) the terminal's software. */
const DEVICE_CAUSE: Partial<Record<Device, 'terminal_hardware' | 'terminal_software'>> = { pinpad: 'terminal_hardware', reader: 'terminal_hardware', software: 'terminal_software' };
const MIN_FINDINGS = 4;
const MIN_RATIO = 5;
/** For the whole fleet: split over every window of every terminal tested (Bonferroni), kept under 1e-3. */
const FLEET_P = 1e-3;
/** A fault event of the device makes a shorter burst enough. */
const EVENT_P = 1e-3;
const EVENT_BEFORE_MS = 30 * 60_000;

/** A finding in which the device reports its own fault (PED_ERR, a reader error): the device's cause already. */
function ownFaultOf(f: ContextFinding): Device | undefined {
  const top = f.reasons[0];
  const reason = top ? REASON_BY_ID.get(top.reason) : undefined;
  return reason?.device && DEVICES.includes(reason.device) && reason.cause === DEVICE_CAUSE[reason.device] ? reason.device : undefined;
}

function deviceOf(f: ContextFinding): Device | undefined {
  const top = f.reasons[0];
  const reason = top ? REASON_BY_ID.get(top.reason) : undefined;
  if (!reason || !reason.device || !DEVICES.includes(reason.device) || reason.cause === DEVICE_CAUSE[reason.device]) return undefined;
  return reason.device;
}

const EVENT_DEVICE: Record<Device, RegExp> = { pinpad: /PIN ?PAD|PINPAD/, reader: /READER|ICC|CHIP|MAG|NFC|CONTACTLESS/, printer: /PRINT/, link: /NETWORK/, software: /APP|SOFTWARE|CRASH|UPDATE/ };

export const rule: ContextRule = {
  meta: {
    id: 'device-fault-excess',
    causes: ['terminal_hardware', 'terminal_software'],
    title: 'A device fault behind an excess of cardholder reasons',
    description:
      'Wrong PINs (PIN pad), or fallbacks, damaged-card and card-removed reads (card reader), at one terminal in one stretch of time at 5× the rest of the fleet\'s rate or more, significant after testing every stretch (binomial tail): the device, not the cardholders. Duplicate transmissions (94) in such an excess are the terminal\'s software reusing trace numbers. A fault event of that device (PINPAD_FAULT, READER_FAULT, APP_CRASH), or the device reporting its own fault on an attempt in or beside the stretch (a PIN pad error), lowers the bar.',
    needs: ['fleet', 'events'],
    strength: S.device,
    messages: {
      excess: {
        en: '{k} cardholders of {n} attempts between {start} and {end} gave {reason} ({rate} against {fleet} in the rest of the fleet, {ratio}×): the {device} is failing',
        zh: '{start} 至 {end} 期间 {n} 笔交易中有 {k} 位持卡人出现“{reason}”（{rate}，其余终端为 {fleet}，{ratio} 倍）：{deviceZh}故障',
      },
      besideFault: {
        en: '{k} cardholders of {n} attempts between {start} and {end} gave {reason} ({rate} against {fleet} in the rest of the fleet, {ratio}×), and the {device} itself reported {fault} at {at}: the {device} is failing',
        zh: '{start} 至 {end} 期间 {n} 笔交易中有 {k} 位持卡人出现“{reason}”（{rate}，其余终端为 {fleet}，{ratio} 倍），且{deviceZh}在 {at} 自报“{fault}”：{deviceZh}故障',
      },
      afterEvent: {
        en: '{k} cardholders of {n} attempts between {start} and {end} gave {reason} ({rate} against {fleet} in the rest of the fleet, {ratio}×), after {event} at {at}: the {device} is failing',
        zh: '{start} 至 {end} 期间 {n} 笔交易中有 {k} 位持卡人出现“{reason}”（{rate}，其余终端为 {fleet}，{ratio} 倍），发生在 {at} 的 {event} 之后：{deviceZh}故障',
      },
    },
  },
  revise(view) {
    const out: Revision[] = [];
    for (const device of DEVICES) {
      const byTerminal = new Map<string, ContextFinding[]>();
      const faults = new Map<string, ContextFinding[]>();
      for (const f of view.findings) {
        if (f.ts === undefined || f.incident !== null || ownFaultOf(f) !== device) continue;
        let list = faults.get(f.terminalId);
        if (!list) faults.set(f.terminalId, (list = []));
        list.push(f);
      }
      for (const f of view.findings) {
        if (f.ts === undefined || f.incident !== null || deviceOf(f) !== device) continue;
        let list = byTerminal.get(f.terminalId);
        if (!list) byTerminal.set(f.terminalId, (list = []));
        list.push(f);
      }
      // The fleet's rate of these reasons, leaving out terminals that are far above it (a robust baseline).
      for (const l of byTerminal.values()) l.sort((a, b) => a.ts! - b.ts!);
      const total = [...byTerminal.values()].reduce((s, l) => s + episodeStarts(l).filter(Boolean).length, 0);
      const pooled = total / Math.max(1, view.fleetAttempts);
      let normalK = 0;
      let normalN = view.fleetAttempts;
      const episodes = new Map([...byTerminal].map(([t, l]) => [t, episodeStarts(l).filter(Boolean).length]));
      for (const [t, e] of episodes) {
        const n = view.terminalAttempts(t);
        if (n > 0 && e / n > MIN_RATIO * pooled && e >= MIN_FINDINGS) normalN -= n;
        else normalK += e;
      }
      // Every terminal with enough of these reasons to be tested shares the fleet's false-alarm budget.
      let tested = 0;
      for (const l of byTerminal.values()) if (l.length >= MIN_FINDINGS - 1) tested++;
      for (const [terminalId, list] of byTerminal) {
        if (list.length < MIN_FINDINGS - 1) continue;
        const n0 = view.terminalAttempts(terminalId);
        const own = episodes.get(terminalId)!;
        const outlier = own / Math.max(1, n0) > MIN_RATIO * pooled && own >= MIN_FINDINGS;
        const restN = Math.max(1, normalN - (outlier ? 0 : n0));
        const p0 = Math.max(normalK - (outlier ? 0 : own), 0.5) / restN;
        const events = view.eventsNear(terminalId, list[0].ts!, EVENT_BEFORE_MS, list[list.length - 1].ts! - list[0].ts!).filter((e) => EVENT_DEVICE[device].test(eventName(e)));
        const ownFaults = faults.get(terminalId) ?? [];
        const faultNear = (from: number, to: number) => ownFaults.find((f) => f.ts! >= from - EVENT_BEFORE_MS && f.ts! < to + EVENT_BEFORE_MS);
        const windows = (list.length * (list.length + 1)) / 2;
        // Cardholders, not keystrokes: one person's retries are one episode.
        const starts = episodeStarts(list);
        const before: number[] = [0];
        for (let i = 0; i < list.length; i++) before.push(before[i] + (starts[i] ? 1 : 0));
        let best: { i: number; j: number; logp: number; n: number; k: number } | undefined;
        for (let i = 0; i < list.length; i++) {
          for (let j = i + MIN_FINDINGS - 2; j < list.length; j++) {
            const k = before[j + 1] - before[i] + (starts[i] ? 0 : 1);
            const from = list[i].ts!;
            const to = list[j].ts! + 1;
            const n = Math.max(k, view.attempts(terminalId, from, to));
            if (k / n < MIN_RATIO * p0) continue;
            const anchored = events.some((e) => e.ts <= from + 5 * 60_000 && e.ts >= from - EVENT_BEFORE_MS) || faultNear(from, to) !== undefined;
            if (k < (anchored ? MIN_FINDINGS - 1 : MIN_FINDINGS)) continue;
            const logp = logBinomialUpperTail(k, n, Math.min(p0, 0.5));
            const bar = anchored ? Math.log(EVENT_P) : Math.log(FLEET_P / (windows * tested));
            if (logp > bar) continue;
            if (!best || logp < best.logp) best = { i, j, logp, n, k };
          }
        }
        if (!best) continue;
        const k = best.k;
        const from = list[best.i].ts!;
        const event = events.find((e) => e.ts <= from + 5 * 60_000);
        const fault = event ? undefined : faultNear(from, list[best.j].ts! + 1);
        const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
        const { en: label, zh: labelZh } = DEVICE_LABEL[device];
        for (const f of list.slice(best.i, best.j + 1)) {
          out.push({
            index: f.index,
            cause: DEVICE_CAUSE[device]!,
            evidence: [{
              source: 'context',
              code: device,
              message: event ? 'afterEvent' : fault ? 'besideFault' : 'excess',
              data: {
                k, n: best.n, start: view.formatTime(from), end: view.formatTime(list[best.j].ts!), reason: f.reasons[0].reason,
                rate: pct(k / best.n), fleet: pct(p0), ratio: (k / best.n / p0).toFixed(0), device: label, deviceZh: labelZh,
                ...(event ? { event: eventName(event), at: view.formatTime(event.ts) } : {}),
                ...(fault ? { fault: fault.reasons[0].code ?? fault.reasons[0].reason, at: view.formatTime(fault.ts!) } : {}),
              },
            }],
          });
        }
      }
    }
    return out;
  },
};
