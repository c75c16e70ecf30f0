import type { Rule } from './types.js';
import { DEVICE_LABEL, REASON_BY_ID, S, type Device } from './reasons.js';
import { MINUTE, eventDraft, eventName, hostAnswered, INFORMATIONAL_EVENTS, nearestFaultEvent, unansweredTxn } from './lib/util.js';
import type { TerminalEvent } from '../src/model.js';

// A device fault explains an attempt only when it is reported around it; faults are often logged
// right after the attempt they broke.
export const NEAR_MS = 5 * MINUTE;
// A faulty reader or PIN pad stays faulty: what it produces (read errors, fallbacks, wrong PINs) is its
// doing for a while after it said so.
export const DEVICE_LOOKBACK_MS = 30 * MINUTE;

/** The device an event is about, from the reason its table entry gives (READER_FAULT: the reader). */
function deviceOf(name: string, ctxEvent: (name: string) => { reason?: string } | undefined): Device | undefined {
  const reason = ctxEvent(name)?.reason;
  const d = reason ? REASON_BY_ID.get(reason)?.device : undefined;
  if (d) return d;
  if (/READER|ICC|CHIP|MAG|NFC|RF/.test(name)) return 'reader';
  if (/PIN ?PAD|PINPAD/.test(name)) return 'pinpad';
  if (/PRINT/.test(name)) return 'printer';
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'hardware-fault-event',
    causes: ['terminal_hardware'],
    title: 'Hardware fault at the time',
    description:
      'A failed attempt whose reason comes from a device (a read error or fallback from the reader, a wrong PIN from the PIN pad) within 30 min after that device reported a fault; or a failed, timed-out, terminated or unanswered attempt within 5 min of a hardware fault event (READER_FAULT, PINPAD_FAULT, PRINTER_*, TAMPER_DETECTED, BATTERY_LOW).',
    needs: ['events', 'status'],
    // Below the terminal's own comm error: a fault nearby that does not explain the signal is weaker evidence.
    strength: S.comms - 5,
    messages: {
      device: { en: 'event {event}{detail}, {offsetMs}: the {device} had reported a fault, so {reason} is its doing', zh: '事件 {event}{detail}，{offsetMs}：{deviceZh}已报告故障，因此“{reason}”由设备造成' },
      near: { en: 'event {event}{detail}, {offsetMs}', zh: '事件 {event}{detail}，{offsetMs}' },
    },
  },
  match(subject, ctx) {
    const txn = subject.txn;
    if (!txn) return undefined;
    // A reason a device gives, after that device said it was failing.
    for (const hit of subject.reasons ?? []) {
      const device = REASON_BY_ID.get(hit.reason)?.device;
      if (!device || device === 'link' || device === 'software') continue;
      let fault: TerminalEvent | undefined;
      for (const e of ctx.eventsNear(txn.terminalId, txn.ts, DEVICE_LOOKBACK_MS, NEAR_MS)) {
        const name = eventName(e);
        if (INFORMATIONAL_EVENTS.has(name) || ctx.event(name)?.cause !== 'terminal_hardware') continue;
        if (deviceOf(name, (n) => ctx.event(n)) === device && (!fault || Math.abs(e.ts - txn.ts) < Math.abs(fault.ts - txn.ts))) fault = e;
      }
      if (fault) {
        return { cause: 'terminal_hardware', strength: S.device + 5, evidence: [eventDraft(fault, txn.ts, ctx, 'device', { device: DEVICE_LABEL[device].en, deviceZh: DEVICE_LABEL[device].zh, reason: hit.reason })] };
      }
    }
    const unanswered = unansweredTxn(subject);
    if (!unanswered || hostAnswered(subject, S.decline)) return undefined;
    const e = nearestFaultEvent(ctx, txn.terminalId, txn.ts, NEAR_MS, NEAR_MS, (entry) => entry.cause === 'terminal_hardware');
    return e ? { cause: 'terminal_hardware', evidence: [eventDraft(e, txn.ts, ctx, 'near')] } : undefined;
  },
};
