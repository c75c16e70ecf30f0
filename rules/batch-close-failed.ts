import type { Rule } from './types.js';
import { REASON_BY_ID, S } from './reasons.js';
import { HOUR, eventDraft, eventName, faultBeforeBatchClose } from './lib/util.js';

// A close that failed because the host could not be reached, or the power was off, says so in its detail
// or in the terminal's other events; only a close that failed for no such reason is a cutoff problem.
const LINK_LOOKBACK_MS = 6 * HOUR;

export const rule: Rule = {
  meta: {
    id: 'batch-close-failed',
    causes: ['cutoff', 'network', 'environment'],
    title: 'Batch close failed after the transaction',
    description:
      'An approved transaction not settled in time, on a terminal that reported a failed batch close (BATCH_CLOSE_FAILED) within 36 h after it and no successful close in between: a cutoff problem, unless the close failed because the link was down (its detail says the host was unreachable, or NETWORK_DOWN without NETWORK_UP) or the power was lost.',
    needs: ['reconciliation', 'events'],
    strength: S.settlement - 3,
    messages: {
      cutoff: { en: 'batch close failed{detail}, {offsetMs}: the batch holding this approved transaction was not closed in time', zh: '批结算失败{detail}，{offsetMs}：包含此笔已批准交易的批次未按时结算' },
      network: { en: 'batch close failed{detail}, {offsetMs}: the terminal could not reach the host to close its batch (link down or host unreachable)', zh: '批结算失败{detail}，{offsetMs}：终端无法连接主机完成批结算（网络中断或主机不可达）' },
      environment: { en: 'batch close failed{detail}, {offsetMs}, after a power loss: the terminal was off when its batch should have closed', zh: '批结算失败{detail}，{offsetMs}，此前曾断电：应结算时终端处于断电状态' },
    },
  },
  match(subject, ctx) {
    const hit = faultBeforeBatchClose(subject, ctx, 'cutoff');
    if (!hit) return undefined;
    const { txn, event } = hit;
    // What the failed close's own detail says, its strongest reason ("日切处理中(90)" is the cutover, not a
    // request in progress).
    const read = event.detail ? [...ctx.read.message(event.detail, 'iso', 'event')].sort((a, b) => b.strength - a.strength) : [];
    const said = read.length ? [REASON_BY_ID.get(read[0].reason)?.cause] : [];
    // The link state at the time: the latest NETWORK_DOWN/UP before the failed close.
    let down = false;
    let power = false;
    for (const e of ctx.eventsNear(txn.terminalId, event.ts, LINK_LOOKBACK_MS, 0)) {
      const name = eventName(e);
      if (name === 'NETWORK_DOWN') down = true;
      else if (name === 'NETWORK_UP') down = false;
      else if (ctx.event(name)?.cause === 'environment') power = true;
    }
    const cause = said.includes('network') || down ? 'network' : said.includes('environment') || power ? 'environment' : 'cutoff';
    return { cause, evidence: [eventDraft(event, txn.ts, ctx, cause)] };
  },
};
