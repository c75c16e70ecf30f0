import type { ContextRule, Revision } from '../types.js';
import { S, reasonOf } from '../reasons.js';

/** What a host that is down looks like from a terminal: no answer, a late one, the terminal's own timeout or a bare "communication error". */
export const AMBIGUOUS: ReadonlySet<string> = new Set(['no_response', 'late_response', 'comm_timeout', 'comm_error', 'request_in_progress']);
const OWN_LINK_MIN = 3;
const OWN_LINK_RATIO = 4;
/** Timeouts the incident did not count are its own when at least this many rose this far above their usual rate. */
const LOOSE_MIN = 5;
const LOOSE_RATIO = 3;

// An issuer or platform outage shows as 91/96 on some terminals and as timeouts and late answers (68) on
// others: inside the incident those are the outage too, not each terminal's link.
export const rule: ContextRule = {
  meta: {
    id: 'incident-generic',
    causes: ['issuer_platform'],
    title: 'Timeouts inside an issuer or platform outage',
    description:
      'A network finding read only from a timeout, a late response (68), a bare communication error or a request in progress, inside a fleet incident in which the issuer or platform failed (91, 96, 06 across many terminals), when such timeouts rose across the fleet in its window too (3× their rate outside it): the host side failing, not this terminal\'s link. A terminal whose own link fails outside the incident keeps its timeouts.',
    needs: ['fleet', 'status', 'responseCode'],
    strength: S.generic,
    messages: {
      incident: {
        en: 'inside fleet incident {incident} ({start} – {end}, {terminals} terminals) where the issuer or platform failed: {reason} here is the host side, not this terminal\'s link',
        zh: '发生在全网事件 {incident}（{start} – {end}，涉及 {terminals} 台终端，发卡行或平台故障）期间：此处“{reason}”源于主机侧，而非本终端网络',
      },
    },
  },
  revise(view) {
    const out: Revision[] = [];
    const issuerSide = view.incidents.filter((i) => i.causes.includes('issuer_platform'));
    if (issuerSide.length === 0) return out;
    // A terminal whose own link fails outside the incident too keeps its timeouts inside it: they are its own.
    const own = new Map<string, number>();
    let fleetOwn = 0;
    for (const f of view.findings) {
      if (f.cause !== 'network' || f.incident !== null || f.ts === undefined || issuerSide.some((i) => f.ts! >= i.start && f.ts! < i.end)) continue;
      own.set(f.terminalId, (own.get(f.terminalId) ?? 0) + 1);
      fleetOwn++;
    }
    const fleetRate = fleetOwn / Math.max(1, view.fleetAttempts);
    const ownLink = (t: string) => {
      const k = own.get(t) ?? 0;
      return k >= OWN_LINK_MIN && k / Math.max(1, view.terminalAttempts(t)) >= OWN_LINK_RATIO * fleetRate;
    };
    // Only what the host's silence explains; a dead SIM or a NETWORK_DOWN event is this terminal's link.
    const ambiguous = (f: (typeof view.findings)[number]) => {
      const said = f.reasons.filter((r) => reasonOf(r.reason).cause !== 'unknown');
      // What else it says may name the host side itself ("发卡行响应超时" beside a 68): that agrees.
      return f.ruleId === 'reason' && said.length > 0 && said.every((r) => AMBIGUOUS.has(r.reason) || reasonOf(r.reason).cause === 'issuer_platform');
    };
    for (const inc of issuerSide) {
      const inside = view.findings.filter((f) => f.cause === 'network' && f.ts !== undefined && f.ts >= inc.start && f.ts < inc.end && (f.incident === null || f.incident === inc.id) && ambiguous(f));
      // Timeouts the incident did not already count belong to it when they, too, rose across the fleet in its
      // window: several times their rate outside it.
      const loose = inside.filter((f) => f.incident === null);
      if (loose.length > 0) {
        const windowAttempts = view.fleetAttemptsBetween(inc.start, inc.end);
        const rateInside = loose.length / Math.max(1, windowAttempts);
        const outsideRate = fleetOwn / Math.max(1, view.fleetAttempts - windowAttempts);
        if (loose.length < LOOSE_MIN || rateInside < LOOSE_RATIO * outsideRate) {
          for (const f of loose) inside.splice(inside.indexOf(f), 1);
        }
      }
      for (const f of inside) {
        if (ownLink(f.terminalId)) continue;
        out.push({
          index: f.index,
          cause: 'issuer_platform',
          incident: inc.id,
          evidence: [{ source: 'context', code: inc.id, message: 'incident', data: { incident: inc.id, start: view.formatTime(inc.start), end: view.formatTime(inc.end), terminals: inc.terminals, reason: f.reasons[0].reason } }],
        });
      }
    }
    return out;
  },
};
