import { describe, expect, it } from 'vitest';
import { rule } from '../../../rules/context/incident-generic.js';
import { renderEvidence } from '../../../src/engine.js';
import { makeView, reason } from './helpers.js';

const T0 = Date.UTC(2024, 4, 4, 12, 0, 0);
const outage = { id: 'I1', start: T0, end: T0 + 30 * 60_000, causes: ['issuer_platform', 'network'] as const, terminals: 40 };
const carrier = { id: 'I2', start: T0, end: T0 + 30 * 60_000, causes: ['network'] as const, terminals: 40 };

describe('incident-generic', () => {
  it('a bare timeout or a late answer (68) inside an issuer outage -> issuer_platform', () => {
    const view = makeView(
      [
        { ts: T0 + 60_000, incident: 'I1', reasons: [reason('no_response')] },
        { ts: T0 + 120_000, incident: 'I1', reasons: [reason('late_response', 30)], terminalId: 'T2' },
        // A 68 beside a text that names the issuer ("发卡行响应超时"), and a "please retry" that says nothing.
        { ts: T0 + 180_000, incident: 'I1', reasons: [reason('late_response', 30), reason('issuer_unavailable', 30), reason('uninformative', 5)], terminalId: 'T3' },
      ],
      { incidents: [{ ...outage, causes: [...outage.causes] }] },
    );
    const out = rule.revise(view);
    expect(out.map((r) => [r.index, r.cause])).toEqual([[0, 'issuer_platform'], [1, 'issuer_platform'], [2, 'issuer_platform']]);
    for (const lang of ['en', 'zh'] as const) expect(renderEvidence(rule, out[0].evidence[0], lang).text).toMatch(/I1/);
  });

  it('timeouts the incident did not count join it when they rose across the fleet in its window', () => {
    const loose = Array.from({ length: 12 }, (_, i) => ({ ts: T0 + i * 60_000, terminalId: `T${10 + i}`, reasons: [reason('comm_timeout', 60), reason('no_response')] }));
    const background = Array.from({ length: 6 }, (_, i) => ({ ts: T0 - (i + 2) * 3_600_000, terminalId: `T${30 + i}`, reasons: [reason('no_response')] }));
    const out = rule.revise(makeView([...loose, ...background], { incidents: [{ ...outage, causes: [...outage.causes] }] }));
    expect(out.map((r) => r.index).sort((a, b) => a - b)).toEqual(loose.map((_, i) => i));
    expect(out.every((r) => r.cause === 'issuer_platform' && r.incident === 'I1')).toBe(true);
  });

  it('a few loose timeouts in the window at their usual rate stay the terminals\' own', () => {
    const loose = Array.from({ length: 2 }, (_, i) => ({ ts: T0 + i * 60_000, terminalId: `T${10 + i}`, reasons: [reason('no_response')] }));
    expect(rule.revise(makeView(loose, { incidents: [{ ...outage, causes: [...outage.causes] }] }))).toEqual([]);
  });

  it('leaves alone: a carrier outage, a timeout outside incidents, device evidence, and a terminal whose own link fails', () => {
    const own = Array.from({ length: 6 }, (_, i) => ({ ts: T0 - (i + 1) * 3_600_000, terminalId: 'T9', reasons: [reason('no_response')] }));
    const view = makeView(
      [
        { ts: T0 + 60_000, incident: 'I2', reasons: [reason('no_response')] },
        { ts: T0 - 3_600_000, reasons: [reason('no_response')], terminalId: 'T3' },
        { ts: T0 + 60_000, incident: 'I1', ruleId: 'network-outage', reasons: [reason('no_response')], terminalId: 'T4' },
        { ts: T0 + 60_000, incident: 'I1', reasons: [reason('no_carrier', 60)], terminalId: 'T5' },
        ...own,
        { ts: T0 + 60_000, incident: 'I1', reasons: [reason('no_response')], terminalId: 'T9' },
      ],
      { incidents: [{ ...outage, causes: [...outage.causes] }, { ...carrier, causes: [...carrier.causes] }] },
    );
    expect(rule.revise(view)).toEqual([]);
  });
});
