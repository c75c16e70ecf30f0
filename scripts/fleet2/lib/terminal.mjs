// One terminal's life, as a generator of time-ordered output items: transaction records, device events
// and settlement lines, each with its truth rows. Every attempt walks the path a real one takes:
//   terminal (device, cardholder at the keypad) -> link -> acquirer host (keys, permissions, message
//   format) -> switch / issuer platform -> issuer decision
// and fails at the first layer that is broken. That layer is the cause written to the truth file, so a
// timeout while the link is down is network even inside the platform outage, and a 55 is
// terminal_hardware only when the broken PIN pad produced it.

import { Rng } from './rng.mjs';
import { Heap } from './heap.mjs';
import { REASONS, SETTLE, EVENT_TEXT } from './catalog.mjs';
import { txnIdFor, cardRefFor } from './ids.mjs';
import { DAY, HOUR, formatWall, dateOf } from './time.mjs';

const SEC = 1000;
const MIN = 60000;
const MONEY = new Set(['sale', 'refund', 'completion']);
const NO_ISSUER_BG = new Set(['void', 'reversal', 'completion', 'refund']);
const HOST_TIMEOUTISH = new Set(['timeout', 'outage_timeout']);

export function* runTerminal(T, ctx) {
  const { zone, seed, cards, rrn, outage } = ctx;
  const r = new Rng(seed, 'sim', T.idx);
  const H = new Heap();
  let s = 0;
  const push = (t, a) => { a.t = t; a.s = s++; H.push(a); };
  const out = [];

  let stan = T.stan0;
  let batchNo = T.batch0;
  let entries = [];
  let version = T.version;
  const seqByDate = new Map();
  const recentSales = [];
  const pinFails = new Map();
  let down = [];   // {a, b, cause, variant}
  let off = [];    // terminal has no power: {a, b, cause, shift}
  let flaky = [];  // {a, b, p, cause}
  let crashUntil = 0;
  let stanStuck = null;
  let recon = null;

  // a merchant-level fault is one object shared by its terminals: count per terminal
  const hit = (f, n = 1) => { f.hits[T.idx] = (f.hits[T.idx] || 0) + n; };
  const faultsOn = (d) => T.faults.filter((f) => f.day === d);
  const act = (variant, t) => { for (const f of T.faults) if (f.variant === variant && t >= f.from && t <= f.to) return f; return null; };
  const inList = (list, t) => { for (const x of list) if (t >= x.a && t < x.b) return x; return null; };
  const ts = (t) => formatWall(zone, t, T.tsStyle);
  const text = (entry) => entry[T.lang][T.dialect % entry[T.lang].length];
  const pickD = (v) => (Array.isArray(v) ? v[T.dialect % v.length] : v);

  function event(t, name, key = name, suffix = '') {
    if (!T.logsEvents) return;
    if (t % MIN === 0) t += r.int(0, 29) * SEC + r.int(0, 999); // device clocks are not on the minute
    const tx = EVENT_TEXT[key];
    const rec = { kind: 'event', terminalId: T.terminalId, timestamp: ts(t), event: name };
    if (tx) rec.detail = text(tx) + suffix;
    else if (suffix) rec.detail = suffix.trim();
    push(t, { kind: 'emit', item: { k: 'ev', rec } });
  }

  function newTxnId(t) {
    const day0 = t - (((t % DAY) + DAY) % DAY);
    const n = seqByDate.get(day0) || 0;
    seqByDate.set(day0, n + 1);
    return txnIdFor(T.merchant.txnIdStyle, r, T.idx, day0, n);
  }

  // ---------- planning a day ----------

  function planDay(d) {
    const D = T.days[d];
    const dr = new Rng(seed, 'day', T.idx, d);
    const fs = faultsOn(d);

    // morning sign-on, unless a key fault is already active
    const signOn = D.open - dr.int(5, 20) * MIN - dr.int(0, 59) * SEC;
    const mac = fs.find((f) => f.variant === 'mac_key' && f.from <= D.open);
    if (mac) { event(signOn, 'KEY_SYNC_FAILED'); event(signOn + 2 * SEC, 'SIGN_ON_FAILED'); }
    else event(signOn, 'SIGN_ON', 'SIGN_ON', ` batch ${String(batchNo).padStart(6, '0')}`);

    // routine noise that explains nothing and breaks nothing
    if (T.nightlyReboot) event(D.day0 + dr.int(180, 239) * MIN + dr.int(0, 59) * SEC, 'REBOOT', 'REBOOT_NIGHTLY');
    if (dr.chance(0.04)) {
      const t = D.day0 + dr.int(120, 170) * MIN;
      const nv = T.versions[(T.versions.indexOf(version) + 1) % T.versions.length];
      event(t, 'SOFTWARE_UPDATE', 'SOFTWARE_UPDATE', ` ${version} -> ${nv}`);
      push(t, { kind: 'version', v: nv });
    }
    if ((T.connection === '4g' || T.connection === 'wifi') && dr.chance(0.08)) {
      event(D.open + dr.int(30, Math.max(31, (D.close - D.open) / MIN - 30)) * MIN, 'SIGNAL_LOW', 'SIGNAL_LOW', ` ${T.baseSignal - dr.int(12, 20)}dBm`);
    }
    if (T.mobile && dr.chance(0.05)) event(D.open + dr.int(60, 400) * MIN, 'BATTERY_LOW');
    if (dr.chance(0.06)) {
      const t = D.open + dr.int(60, 500) * MIN;
      event(t, 'PRINTER_PAPER_OUT');
      event(t + dr.int(40, 110) * SEC, 'PRINTER_READY', 'PRINTER_PAPER_OK');
    }
    if (dr.chance(0.01)) event(signOn - dr.int(1, 5) * MIN, 'CLOCK_ERROR');

    // faults: schedules of events and link / power states
    for (const f of fs) planFault(f, D, new Rng(seed, 'fault', f.id), dr);

    // base attempts
    const n = dr.poisson(T.volume * D.dow * dr.lognormal(1, 0.12));
    const times = [];
    for (let i = 0; i < n; i++) times.push(sampleTime(dr, D));
    times.sort((a, b) => a - b);
    for (const t of times) push(t, { kind: 'attempt', ...baseAttempt(dr, t) });

    push(D.batch + dr.int(0, 59) * SEC, { kind: 'batch', d });
  }

  function sampleTime(dr, D) {
    const peaks = T.mt.peaks;
    for (let k = 0; k < 50; k++) {
      let t;
      if (dr.chance(0.35)) t = D.open + dr.next() * (D.close - D.open);
      else {
        const p = dr.weighted(peaks.map((x) => [x, x[2]]));
        t = D.day0 + (p[0] + p[1] * dr.normal()) * HOUR;
      }
      if (t >= D.open && t < D.close) return Math.floor(t);
    }
    return D.open + Math.floor(dr.next() * (D.close - D.open));
  }

  function baseAttempt(dr, t) {
    const m = T.merchant;
    const cardIdx = dr.chance(0.5) ? dr.pick(m.regulars) : dr.int(0, cards.length - 1);
    let type = 'sale';
    const x = dr.next();
    if (T.mt.preauth && x < T.mt.preauth) type = 'preauth';
    else if (x > 0.984) type = 'refund';
    else if (x > 0.98) type = 'balance';
    let amount = Math.max(100, Math.round(dr.lognormal(T.mt.median, T.mt.sigma) * 100));
    if (dr.chance(0.35)) amount = Math.max(100, Math.round(amount / 100) * 100);
    if (type === 'refund') amount = Math.max(100, Math.round(amount * dr.range(0.2, 1)));
    if (type === 'balance') amount = null;
    const a = { cardIdx, type, amount, chain: 0, hist: [] };
    if (type === 'refund' && recentSales.length && dr.chance(0.7)) {
      const o = dr.pick(recentSales);
      a.original = o;
      a.amount = Math.min(o.amount, a.amount);
    }
    return a;
  }

  function planFault(f, D, fr, dr) {
    const v = f.variant;
    const every = (from, to, lo, hi, fn) => { for (let t = from + fr.int(0, 5) * MIN; t < to; t += fr.int(lo, hi) * MIN) fn(t); };
    switch (v) {
      case 'link_drops': {
        // merchant-1: a link that keeps dropping all day, short and regular; elsewhere a bad patch
        const m1 = f.severity === 'merchant-1';
        const sev = m1 ? { p: 0.03 } : { up: 15, dn: 6, p: 0.08 };
        const gap = () => Math.floor((m1 ? fr.range(25, 60) : Math.max(3, fr.exp(sev.up))) * MIN);
        let t = f.from + Math.floor(gap() / 2);
        let drops = 0;
        while (t < f.to) {
          const len = m1 ? Math.floor(fr.range(1.5, 4) * MIN) : Math.min(20 * MIN, Math.max(1 * MIN, Math.floor(fr.exp(sev.dn) * MIN)));
          addDown(t, Math.min(f.to, t + len), 'network', f);
          drops++;
          t += len + gap();
        }
        if (!drops) { const a = f.from + Math.floor((f.to - f.from) / 2); addDown(a, a + 5 * MIN, 'network', f); }
        flaky.push({ a: f.from, b: f.to, p: sev.p, cause: 'network', f });
        if (T.connection === '4g' || T.connection === 'wifi') every(f.from, f.to, 25, 70, (t) => event(t, 'SIGNAL_LOW', 'SIGNAL_LOW', ` ${T.baseSignal - fr.int(15, 25)}dBm`));
        break;
      }
      case 'link_down': addDown(f.from, f.to, 'network', f); break;
      case 'batch_close': addDown(f.from, f.to, 'network', f); break;
      case 'tls': break;
      case 'card_reader': every(f.from, f.to, 30, 90, (t) => event(t, 'READER_FAULT')); break;
      case 'contactless_reader': every(f.from, f.to, 30, 90, (t) => event(t, 'READER_FAULT', 'READER_FAULT_RF')); break;
      case 'pinpad': every(f.from, f.to, 45, 120, (t) => event(t, 'PINPAD_FAULT')); break;
      case 'printer': {
        const name = f.sub === 'paper_out' ? 'PRINTER_PAPER_OUT' : 'PRINTER_FAULT';
        f.printerKind = f.sub === 'paper_out' ? 'printer_out' : 'printer_fault';
        every(f.from, f.to, f.sub === 'paper_out' ? 15 : 30, f.sub === 'paper_out' ? 30 : 75, (t) => event(t, name));
        if (f.sub === 'paper_out') event(f.to, 'PRINTER_READY', 'PRINTER_PAPER_OK');
        break;
      }
      case 'tamper':
        event(f.from, 'TAMPER_DETECTED');
        event(f.to, 'REBOOT', 'REBOOT', ' (device replaced)');
        event(f.to + 3 * MIN, 'SIGN_ON');
        break;
      case 'battery': {
        every(f.from, f.to, 15, 35, (t) => event(t, 'BATTERY_LOW'));
        const k = fr.int(1, 3);
        for (let i = 0; i < k; i++) {
          const a = f.from + Math.floor(fr.range(0.2, 0.9) * (f.to - f.from));
          const b = a + fr.int(5, 20) * MIN;
          event(a, 'POWER_LOSS', 'POWER_LOSS_BATTERY');
          event(b, 'REBOOT');
          off.push({ a, b, cause: 'terminal_hardware', shift: true, f });
        }
        break;
      }
      case 'bad_update': case 'stan_reuse': {
        const nv = bumpVersion(version);
        event(f.from - fr.int(1, 10) * MIN, 'SOFTWARE_UPDATE', 'SOFTWARE_UPDATE', ` ${version} -> ${nv}`);
        push(f.from - 1, { kind: 'version', v: nv });
        const back = version;
        event(f.to, 'SOFTWARE_UPDATE', 'SOFTWARE_UPDATE', ` ${nv} -> ${back} (rollback)`);
        push(f.to, { kind: 'version', v: back });
        break;
      }
      case 'update_failed':
        event(f.from, 'SOFTWARE_UPDATE_FAILED');
        event(f.from + 2 * MIN, 'REBOOT');
        break;
      case 'mac_key':
        if (f.from > D.open) { event(f.from, 'KEY_SYNC_FAILED'); event(f.from + 3 * SEC, 'SIGN_ON_FAILED'); }
        every(f.from + 40 * MIN, f.to, 50, 120, (t) => event(t, 'SIGN_ON_FAILED'));
        event(f.to, 'SIGN_ON');
        break;
      case 'not_permitted': case 'emv_params':
        event(f.from - fr.int(1, 5) * MIN, 'PARAM_DOWNLOAD');
        event(f.to, 'PARAM_DOWNLOAD');
        f.sub = f.sub || (v === 'not_permitted' ? (fr.chance(0.75) ? 'contactless' : 'foreign') : 'chip');
        break;
      case 'merchant_not_registered':
        f.sub = f.sub || (T.profile === 'unionpay' && fr.chance(0.5) ? 'terminal' : 'merchant');
        break;
      case 'power_cut': {
        const k = fr.int(2, 5);
        const pts = [];
        for (let i = 0; i < k; i++) pts.push(f.from + Math.floor(fr.next() * (f.to - f.from)));
        pts.sort((x, y) => x - y);
        for (const p of pts) {
          const back = p + fr.int(1, 6) * MIN;
          const up = back + fr.int(3, 8) * MIN;
          event(p, 'POWER_LOSS');
          event(p + 1 * SEC, 'NETWORK_DOWN');
          event(back, 'REBOOT');
          event(up, 'NETWORK_UP');
          off.push({ a: p - 150 * SEC, b: back, cause: 'environment', shift: true, lossAt: p, f });
          down.push({ a: back, b: up, cause: 'environment', f, silent: true });
        }
        break;
      }
      case 'power_before_batch':
        event(f.from, 'POWER_LOSS');
        event(f.to, 'REBOOT');
        off.push({ a: f.from - 90 * SEC, b: f.to, cause: 'environment', shift: false, lossAt: f.from, f });
        break;
      case 'recon': {
        if (!f.subs) {
          const all = fr.shuffle(['missing', 'mismatch', 'orphans', 'duplicates']);
          f.subs = all.slice(0, fr.int(1, 2));
        }
        break;
      }
      default: break; // settlement-side faults act at batch close
    }
  }

  function addDown(a, b, cause, f) {
    down.push({ a, b, cause, f });
    event(a, 'NETWORK_DOWN');
    event(b, 'NETWORK_UP');
  }

  function bumpVersion(v) {
    const m = /(\d+)(\D*)$/.exec(v);
    return m ? v.slice(0, m.index) + String(+m[1] + 1).padStart(m[1].length, '0') + m[2] : v + '.1';
  }

  // ---------- one attempt ----------

  function chooseEntry(card, a) {
    if (a.entry) return a.entry;
    if (a.type === 'void' || a.type === 'reversal' || a.type === 'completion') return a.original?.entry || 'chip';
    if (r.chance(T.mt.manual)) return 'manual';
    if (T.qr && r.chance(0.03)) return 'qr';
    if (!card.chip) return 'swipe';
    if (card.contactless && a.amount != null && a.amount <= 100000 && r.chance(0.45)) return 'contactless';
    if (r.chance(0.01)) return 'swipe';
    return 'chip';
  }

  function background(a, card, pinTxn) {
    const m = T.bgMult, e = a.entry;
    if (a.type === 'void' || a.type === 'reversal' || a.type === 'completion') return null;
    if (r.chance(0.004 * m)) return ['cancel', 'local', 'input_error'];
    if (e === 'chip' && r.chance(0.002 * m)) return ['card_removed', 'local', 'input_error'];
    if (e === 'contactless' && r.chance(0.003 * m)) return ['multi_card', 'local', 'input_error'];
    if (e === 'swipe' && card.chip && r.chance(0.6)) return T.profile === 'unionpay' ? ['chip_swiped', 'switch', 'input_error'] : ['use_chip', 'local', 'input_error'];
    if (r.chance(0.0025 * m)) return ['timeout', 'network', 'network'];
    if (r.chance(0.0006 * m)) return [r.chance(0.5) ? 'issuer_down' : 'sys_malfunction', 'platform', 'issuer_platform'];
    if (NO_ISSUER_BG.has(a.type)) return null;
    if (r.chance(e === 'manual' ? 0.07 : 0.0006 * m)) return ['invalid_card', 'switch', e === 'manual' ? 'input_error' : 'card'];
    if (card.state !== 'ok') return [card.state, 'issuer', card.state === 'lost' || card.state === 'stolen' ? 'fraud' : 'card'];
    if (pinTxn && r.chance(a.hist.includes('wrong_pin') ? 0.3 : 0.025 * m)) return ['wrong_pin', 'pin', 'input_error'];
    if (a.type === 'balance') return null;
    if (r.chance(card.lowBalance ? 0.15 : 0.004 * m * (a.amount > 200000 ? 2 : 1))) return ['nsf', 'issuer', 'cardholder_account'];
    if (r.chance(0.006 * m)) return ['dnh', 'issuer', 'issuer_decline'];
    if (r.chance(0.001 * m)) return ['referral', 'issuer', 'issuer_decline'];
    if (r.chance(a.amount > 500000 ? 0.04 : 0.0015 * m)) return ['limit', 'issuer', 'limits'];
    if (r.chance(0.0003 * m)) return ['freq_limit', 'issuer', 'limits'];
    return null;
  }

  function inOutage(t) { return !!outage && outage.routed.has(T.idx) && t >= outage.start && t < outage.end; }

  function outageReason() {
    const up = T.profile === 'unionpay';
    return r.weighted(up
      ? [['issuer_down', 30], ['sys_malfunction', 25], ['issuer_no_answer', 10], ['outage_timeout', 20], ['late_response', 15]]
      : [['issuer_down', 35], ['sys_malfunction', 25], ['outage_timeout', 25], ['late_response', 15]]);
  }

  function attempt(a) {
    const t = a.t;
    const o = inList(off, t);
    if (o && !(o.lossAt && t < o.lossAt)) {
      // no power: the customer waits for the reboot, or leaves when the shop is dark for the night
      if (o.shift && a.chain < 5) push(o.b + r.int(30, 150) * SEC, { ...a, kind: a.kind });
      return;
    }
    if (t < crashUntil) { push(crashUntil + r.int(20, 90) * SEC, { ...a }); return; }

    const card = cards[a.cardIdx];
    a.entry = chooseEntry(card, a);
    const e = a.entry;
    const pinTxn = (e === 'chip' || e === 'swipe' || e === 'fallback') && a.type !== 'void' && a.type !== 'reversal' && a.type !== 'completion' && a.type !== 'refund'
      && r.chance(card.debit ? 0.95 : card.scheme === 'unionpay' ? 0.6 : 0.15);
    const bg = background(a, card, pinTxn);
    let reason = null, cause = null, origin = null, fault = null;
    const set = (rs, c, org, f) => { reason = rs; cause = c; origin = org; fault = f || null; };
    const bgAt = (stage) => { if (!reason && bg && bg[1] === stage) set(bg[0], bg[2], 'background'); };
    let f;
    let online = false;

    // 1. the terminal itself
    if (o && o.lossAt) set('power_interrupt', o.cause, 'fault', o.f);
    else if ((f = act('tamper', t))) set('tamper', 'terminal_hardware', 'fault', f);
    else if ((f = act('printer', t)) && r.chance(0.9)) set(f.printerKind, 'terminal_hardware', 'fault', f);
    else if ((f = act('battery', t)) && r.chance(0.25)) set('low_battery', 'terminal_hardware', 'fault', f);
    else if ((f = act('app_crash', t)) && r.chance(0.3)) {
      set('app_error', 'terminal_software', 'fault', f);
      event(t + r.int(1, 4) * SEC, 'APP_CRASH');
      const back = t + r.int(60, 150) * SEC;
      event(back, 'REBOOT');
      crashUntil = back;
    } else if ((f = act('update_failed', t)) && r.chance(0.3)) {
      set(r.chance(0.6) ? 'app_error' : 'device_busy', 'terminal_software', 'fault', f);
      if (reason === 'app_error') { event(t + r.int(1, 4) * SEC, 'APP_CRASH'); crashUntil = t + r.int(60, 120) * SEC; event(crashUntil, 'REBOOT'); }
    }
    bgAt('local');
    if (!reason && (e === 'chip' || e === 'contactless') && (f = act('emv_params', t)) && r.chance(0.8)) set('emv_param', 'configuration', 'fault', f);
    if (!reason && e === 'chip' && (f = act('card_reader', t)) && r.chance(0.75)) set('chip_read', 'terminal_hardware', 'fault', f);
    if (!reason && e === 'contactless' && (f = act('contactless_reader', t)) && r.chance(0.85)) set('rf_fault', 'terminal_hardware', 'fault', f);
    if (!reason && pinTxn && (f = act('pinpad', t)) && r.chance(0.08)) set('pinpad_err', 'terminal_hardware', 'fault', f);

    // 2. the link
    if (!reason) {
      online = true;
      const dn = inList(down, t);
      if (dn) {
        const emv = e === 'chip' || e === 'contactless';
        const k = r.weighted([['timeout', 45], ['not_connected', 35], ['unable_online', emv ? 25 : 0]]);
        set(k, dn.cause, 'fault', dn.f);
        online = k === 'timeout';
      } else if ((f = act('tls', t)) && r.chance(0.7)) set('tls_fail', 'network', 'fault', f);
      else {
        const fl = inList(flaky, t);
        if (fl && r.chance(fl.p)) set('timeout', fl.cause, 'fault', fl.f);
      }
      // a stray timeout inside the outage cannot be told from the outage's own: it is the outage's
      if (!reason && bg && bg[1] === 'network' && inOutage(t)) { set('outage_timeout', 'issuer_platform', 'outage'); ctx.outageHit(T); }
      bgAt('network');
    }

    // 3. the acquirer host
    if (!reason) {
      if ((f = act('mac_key', t)) && r.chance(0.9)) set(pinTxn && r.chance(0.3) ? 'pin_key_error' : 'mac_error', 'configuration', 'fault', f);
      else if ((f = act('not_permitted', t)) && ((f.sub === 'contactless' && e === 'contactless') || (f.sub === 'foreign' && card.scheme !== 'unionpay'))) set('not_permitted', 'configuration', 'fault', f);
      else if ((f = act('merchant_not_registered', t))) set(f.sub === 'terminal' ? 'terminal_unregistered' : 'invalid_merchant', 'configuration', 'fault', f);
      else if ((f = act('bad_update', t)) && (e === 'chip' || e === 'contactless') && r.chance(0.5)) set('format_error', 'terminal_software', 'fault', f);
      else if ((f = act('stan_reuse', t)) && r.chance(0.35)) { set('duplicate_txn', 'terminal_software', 'fault', f); stanStuck = stan; }
      else if ((f = act('emv_params', t)) && e === 'fallback' && T.profile === 'unionpay' && r.chance(0.3)) set('chip_swiped', 'configuration', 'fault', f);
      else if ((f = act('card_reader', t)) && (e === 'fallback' || e === 'swipe') && r.chance(0.4)) set(e === 'fallback' && T.profile === 'unionpay' && r.chance(0.4) ? 'chip_swiped' : 'reread', 'terminal_hardware', 'fault', f);
    }

    // 4. the switch / issuer platform
    if (!reason && inOutage(t)) {
      const edge = Math.min(t - outage.start, outage.end - t) < 4 * MIN;
      if (r.chance(edge ? 0.35 : outage.pCore)) { set(outageReason(), 'issuer_platform', 'outage'); ctx.outageHit(T); }
    }
    bgAt('platform');
    bgAt('switch');

    // 5. the issuer
    if (!reason && bg && bg[1] === 'issuer' && ['expired', 'restricted', 'lost', 'stolen'].includes(bg[0])) bgAt('issuer');
    bgAt('pin');
    if (!reason && pinTxn && (f = act('pinpad', t)) && r.chance(0.6)) set('wrong_pin', 'terminal_hardware', 'fault', f);
    bgAt('issuer');

    // PIN try counter: the third wrong PIN in a row locks the card for the day
    if (reason === 'wrong_pin') {
      const pf = pinFails.get(a.cardIdx) || { n: 0, hw: false };
      pf.n++; pf.hw = pf.hw || cause === 'terminal_hardware';
      pinFails.set(a.cardIdx, pf);
      if (pf.n >= 3) { reason = 'pin_tries'; if (pf.hw) cause = 'terminal_hardware'; }
    } else if (!reason && pinTxn) pinFails.delete(a.cardIdx);

    if (!reason) set('approved', null, null);
    if (fault) hit(fault);
    emitAttempt(a, card, reason, cause, origin, fault, online);
  }

  function emitAttempt(a, card, reason, cause, origin, fault, online) {
    const t = a.t;
    const R = REASONS[reason];
    const approved = R.status === 'approved';
    const rec = { txnId: newTxnId(t), terminalId: T.terminalId, merchantId: T.merchantId, timestamp: ts(t) };
    if (!(T.omitType && a.type === 'sale')) rec.type = a.type;
    if (a.amount != null) rec.amount = T.amountStyle === 'num' ? a.amount / 100 : (a.amount / 100).toFixed(2);
    if (!T.omitCurrency && a.amount != null) rec.currency = 'CNY';
    rec.status = R.status;
    const code = T.profile === 'unionpay' ? R.up : R.iso;
    const codeV = code ? pickD(code) : null;
    let errV = null;
    if (R.err) errV = pickErr(R.err);
    else if (R.errByConnection) errV = pickErr(R.errByConnection[T.connection]);
    if (HOST_TIMEOUTISH.has(reason) && !T.timeoutErr) errV = null;
    let msg = null;
    const wantMsg = approved ? T.approvedMsg && T.msgRate > 0 : r.chance(T.msgRate);
    if (wantMsg) {
      msg = text(R);
      if (T.messageOnly && T.msgStyle === 'coded' && codeV && !approved) {
        msg = [`${codeV}-${msg}`, `${msg}(${codeV})`, `[${codeV}] ${msg}`][T.dialect];
      }
    }
    if (!T.messageOnly) {
      if (codeV) rec.responseCode = codeV;
      if (T.profileField) rec.codeProfile = T.profileField;
      if (errV) rec.errorCode = errV;
    }
    if (reason === 'approved' && fault === null && act('printer', t) && r.chance(0.15)) {
      // approved, but the slip did not print: still a good transaction
      if (!T.messageOnly) rec.errorCode = pickErr(REASONS.printer_out.err);
      rec.message = text(REASONS.printer_out);
      a.nonfinding = 'approved_with_error';
    }
    if (msg) rec.message = msg;
    rec.entryMode = a.entry;
    if (R.host) rec.rrn = rrn.next(T.rrnStyle, t);
    if (online || R.host) {
      if (stanStuck !== null && reason !== 'duplicate_txn' && r.chance(0.5)) { rec.stan = String(stanStuck).padStart(6, '0'); stanStuck = null; }
      else { stan = stan >= 999999 ? 1 : stan + 1; rec.stan = String(stan).padStart(6, '0'); }
    }
    if (approved && a.type !== 'balance') rec.authCode = T.authAlnum ? r.hex(6).toUpperCase() : r.digits(6);
    rec.batchId = String(batchNo).padStart(6, '0');
    rec.cardRef = cardRefFor(T.cardRefStyle, card);
    if (T.logsContext) {
      rec.softwareVersion = version;
      rec.model = T.model;
      rec.connection = T.connection;
      if (T.connection === '4g' || T.connection === 'wifi') {
        const weak = inList(down, t) || inList(flaky, t);
        rec.signalDbm = weak && weak.cause === 'network' ? T.baseSignal - r.int(12, 24) : T.baseSignal + r.int(-4, 4);
      }
      if (R.host) {
        const base = { ethernet: 350, wifi: 550, '4g': 900, dialup: 2500 }[T.connection];
        let lat = Math.round(r.lognormal(base, 0.35));
        if (reason === 'late_response') lat = r.int(28000, 45000);
        else if (origin === 'outage' || inOutage(t)) lat = r.int(3000, 15000);
        else if (inList(flaky, t)) lat *= 3;
        rec.latencyMs = lat;
      } else if (R.status === 'timeout' && T.timeoutErr) rec.latencyMs = T.timeoutMs;
    }
    if (a.original) {
      rec.originalTxnId = a.original.txnId;
      if (a.original.rrn) rec.originalRrn = a.original.rrn;
    }

    const item = { k: 'txn', rec, truth: null, nonfinding: null };
    if (!approved) {
      item.truth = { txnId: rec.txnId, rrn: rec.rrn ?? null, terminalId: T.terminalId, outcome: R.status, cause, origin, variant: fault ? fault.variant : null, reason };
      ctx.count(T, cause, origin);
    }
    // settlement side
    if (approved) {
      const entry = { txnId: rec.txnId, rrn: rec.rrn, amount: a.amount, type: a.type, t, entry: a.entry, batchId: rec.batchId, voided: false, fate: null, hidden: false };
      if (MONEY.has(a.type)) {
        const rf = act('recon', t);
        if (rf && r.chance(0.45)) {
          entry.fate = r.pick(rf.subs);
          entry.fault = rf;
          if (entry.fate === 'orphans') { entry.hidden = true; item.hidden = true; }
        }
        entries.push(entry);
      }
      if (a.type === 'sale' && !entry.hidden) {
        recentSales.push(entry);
        if (recentSales.length > 40) recentSales.shift();
        const D = dayOf(t);
        if (r.chance(0.02) && D) {
          const vt = t + r.int(1, 25) * MIN;
          if (vt < D.batch - 2 * MIN) push(vt, { kind: 'attempt', cardIdx: a.cardIdx, type: 'void', amount: a.amount, original: entry, chain: 0, hist: [], entry: a.entry });
        }
      }
      if (a.type === 'void' && a.original) {
        a.original.voided = true;
        ctx.nonfinding({ txnId: a.original.txnId, rrn: a.original.rrn ?? null, terminalId: T.terminalId, kind: 'voided_sale' });
      }
      if (a.type === 'preauth') {
        ctx.nonfinding({ txnId: rec.txnId, rrn: rec.rrn ?? null, terminalId: T.terminalId, kind: 'preauth' });
        scheduleCompletion(a, entry);
      }
      if (a.type === 'balance' || a.type === 'void' || a.type === 'reversal') ctx.nonfinding({ txnId: rec.txnId, rrn: rec.rrn ?? null, terminalId: T.terminalId, kind: a.type });
      if (a.nonfinding) ctx.nonfinding({ txnId: rec.txnId, rrn: rec.rrn ?? null, terminalId: T.terminalId, kind: a.nonfinding });
    } else {
      followUp(a, reason, cause);
      if (R.status === 'timeout' && T.logsReversal && a.type !== 'reversal' && a.type !== 'balance') scheduleReversal(a, rec);
    }
    if (item.hidden) {
      // the terminal lost this record; the acquirer still has it
      item.rec = null;
    }
    out.push(item);
  }

  function pickErr(e) {
    if (!e) return null;
    const v = e[T.sdk] ?? e.sym;
    if (Array.isArray(v)) return r.chance(0.7) ? v[T.dialect % v.length] : r.pick(v);
    return v;
  }

  function dayOf(t) {
    for (const D of T.days) if (t >= D.day0 && t < D.day0 + DAY) return D;
    return null;
  }

  function scheduleCompletion(a, entry) {
    const D = dayOf(a.t);
    let t = a.t + r.int(60, 360) * MIN;
    if (t > D.close) {
      const i = T.days.indexOf(D);
      if (i + 1 >= T.days.length) return;
      const N = T.days[i + 1];
      t = N.open + r.int(10, 180) * MIN;
    }
    push(t, { kind: 'attempt', cardIdx: a.cardIdx, type: 'completion', amount: Math.max(100, Math.round(a.amount * r.range(0.6, 1))), original: entry, chain: 0, hist: [], entry: a.entry });
  }

  function scheduleReversal(a, rec) {
    let t = a.t + r.int(3, 30) * SEC;
    const dn = inList(down, t);
    if (dn) t = dn.b + r.int(5, 40) * SEC;
    const o = inList(off, t);
    if (o) t = o.b + r.int(30, 90) * SEC;
    push(t, { kind: 'reversal', cardIdx: a.cardIdx, amount: a.amount, original: { txnId: rec.txnId, rrn: null }, entry: a.entry });
  }

  function reversal(a) {
    if (inList(down, a.t) || inList(off, a.t)) return;
    const card = cards[a.cardIdx];
    const ra = { ...a, type: 'reversal', chain: 0, hist: [] };
    emitAttempt(ra, card, 'approved', null, null, null, true);
  }

  function followUp(a, reason, cause) {
    if (a.chain >= 4 || a.type === 'void' || a.type === 'reversal') return;
    const D = dayOf(a.t);
    if (!D || a.t > D.close + 10 * MIN) return;
    const next = (p, lo, hi, change = {}) => {
      if (!r.chance(p)) return;
      const t = a.t + r.int(lo, hi) * SEC;
      if (t > D.batch - 60 * SEC) return;
      push(t, { kind: 'attempt', cardIdx: a.cardIdx, type: a.type, amount: a.amount, original: a.original, chain: a.chain + 1, hist: [...a.hist, reason], entry: null, ...change });
    };
    const other = () => ({ cardIdx: r.chance(0.5) ? r.pick(T.merchant.regulars) : r.int(0, cards.length - 1) });
    switch (reason) {
      case 'timeout': case 'not_connected': case 'unable_online': case 'tls_fail': case 'outage_timeout':
      case 'issuer_down': case 'sys_malfunction': case 'late_response': case 'issuer_no_answer':
        next(0.7, 20, 120, { entry: a.entry }); break;
      case 'wrong_pin': next(0.85, 10, 40, { entry: a.entry }); break;
      case 'pin_tries': next(0.4, 30, 90, other()); break;
      case 'nsf': if (r.chance(0.5)) next(0.45, 30, 120, other()); else next(0.45, 30, 120, { amount: Math.max(100, Math.round(a.amount * r.range(0.4, 0.8))) }); break;
      case 'expired': case 'restricted': case 'lost': case 'stolen': case 'referral': case 'dnh': next(0.5, 30, 120, other()); break;
      case 'invalid_card': if (a.entry === 'manual') next(0.8, 20, 60, { entry: 'manual' }); else next(0.5, 30, 120, other()); break;
      case 'limit': case 'freq_limit': if (r.chance(0.5)) next(0.5, 30, 120, { amount: Math.max(100, Math.round(a.amount * 0.5)) }); else next(0.5, 30, 120, other()); break;
      case 'cancel': next(0.5, 10, 60); break;
      case 'use_chip': case 'chip_swiped': next(0.9, 5, 20, { entry: 'chip' }); break;
      case 'card_removed': case 'multi_card': next(0.9, 5, 20, { entry: a.entry }); break;
      case 'chip_read': {
        const n = a.hist.filter((x) => x === 'chip_read').length;
        const entry = n === 0 ? 'chip' : cards[a.cardIdx].contactless && a.amount != null && a.amount <= 100000 && r.chance(0.4) ? 'contactless' : 'fallback';
        next(0.85, 10, 40, { entry });
        break;
      }
      case 'reread': next(0.7, 10, 30, { entry: r.chance(0.5) ? 'fallback' : 'chip' }); break;
      case 'rf_fault': next(0.85, 5, 25, { entry: 'chip' }); break;
      case 'pinpad_err': next(0.7, 15, 60, { entry: a.entry }); break;
      case 'printer_out': case 'printer_fault': next(0.5, 60, 240, { entry: a.entry }); break;
      case 'tamper': next(0.3, 60, 300); break;
      case 'low_battery': next(0.6, 60, 300); break;
      case 'power_interrupt': next(0.8, 200, 500); break;
      case 'app_error': case 'device_busy': next(0.7, 60, 180); break;
      case 'format_error': case 'duplicate_txn': next(0.6, 20, 60); break;
      case 'mac_error': case 'pin_key_error': case 'invalid_merchant': case 'terminal_unregistered': next(0.5, 30, 120); break;
      case 'not_permitted': next(0.85, 10, 30, { entry: 'chip' }); break;
      case 'emv_param': next(0.75, 10, 30, { entry: 'fallback' }); break;
      default: break;
    }
  }

  // ---------- batch close and settlement ----------

  function settleText(key) {
    const S = SETTLE[key];
    const m = T.merchant;
    const list = S[m.settleLang];
    return { code: S.code[m.settleDialect % S.code.length], message: list[m.settleDialect % list.length], status: S.status };
  }

  function line(e, settleDays, key, amount) {
    const m = T.merchant;
    const L = {};
    if (m.settleKey !== 'rrn') L.txnId = e.txnId;
    if (m.settleKey !== 'txnId') L.rrn = e.rrn;
    L.terminalId = T.terminalId;
    L.merchantId = T.merchantId;
    L.settlementDate = dateOf(e.t + settleDays * DAY);
    L.batchId = e.batchId;
    L.amount = ((amount ?? e.amount) / 100).toFixed(2);
    L.currency = 'CNY';
    const st = settleText(key);
    L.status = st.status;
    L.reasonCode = st.code;
    L.message = st.message;
    return L;
  }

  const orphanTruth = (L) => ({ txnId: L.txnId ?? null, rrn: L.rrn ?? null, terminalId: T.terminalId, outcome: 'orphan_settlement', cause: 'reconciliation', origin: 'fault', variant: 'recon:orphans', reason: 'orphan_settlement' });
  const truthFor = (e, outcome, cause, origin, variant) => ({ txnId: e.txnId, rrn: e.rrn ?? null, terminalId: T.terminalId, outcome, cause, origin, variant, reason: outcome });

  function batch(a) {
    const D = T.days[a.d];
    const t = a.t;
    const snap = entries.filter((e) => !e.voided);
    entries = [];
    const batchLabel = String(batchNo).padStart(6, '0');
    batchNo = batchNo >= 999999 ? 1 : batchNo + 1;
    const o = inList(off, t);
    const dn = inList(down, t);
    let f;
    if (o) {
      // no power at close time: the batch goes up the next morning, a day late
      push(o.b + r.int(2, 6) * MIN, { kind: 'lateBatch', snap, fate: 'late', cause: o.cause, variant: o.f?.variant ?? null, f: o.f, batchLabel });
      return;
    }
    if (dn) {
      event(t, 'BATCH_CLOSE_FAILED', 'BATCH_CLOSE_FAILED_UNREACHABLE');
      event(t + r.int(10, 20) * MIN, 'BATCH_CLOSE_FAILED', 'BATCH_CLOSE_FAILED_UNREACHABLE');
      push(dn.b + r.int(1, 5) * MIN, { kind: 'lateBatch', snap, fate: 'late', cause: dn.cause, variant: dn.f?.variant ?? null, f: dn.f, batchLabel });
      return;
    }
    if ((f = act('batch_close_failed', t))) {
      event(t, 'BATCH_CLOSE_FAILED', 'BATCH_CLOSE_FAILED_CUTOVER');
      event(t + r.int(5, 12) * MIN, 'BATCH_CLOSE_FAILED', 'BATCH_CLOSE_FAILED_CUTOVER');
      const truth = snap.filter((e) => !e.hidden).map((e) => truthFor(e, 'unsettled', 'cutoff', 'fault', f.variant));
      hit(f, truth.length);
      for (const x of truth) ctx.count(T, 'cutoff', 'fault');
      out.push({ k: 'settle', lines: [], truth });
      return;
    }
    if ((f = act('late_batch', t))) {
      push(f.to, { kind: 'lateBatch', snap, fate: 'pending', cause: 'cutoff', variant: f.variant, f, batchLabel });
      return;
    }
    event(t, 'BATCH_CLOSE', 'BATCH_CLOSE', ` batch ${batchLabel} n=${snap.length}`);
    const lines = [], truth = [];
    for (const e of snap) {
      let g;
      if (e.hidden) {
        // the terminal lost the record; whatever the acquirer did with it, it is an orphan line
        const L = line(e, 1, act('account_frozen', e.t) ? 'frozen' : act('wrong_bank_details', e.t) ? 'wrong_bank' : act('risk_hold', e.t) ? 'risk_hold' : 'settled');
        lines.push(L);
        truth.push(orphanTruth(L));
        hit(e.fault);
        ctx.count(T, 'reconciliation', 'fault');
        continue;
      }
      if ((g = act('account_frozen', e.t)) || (g = act('wrong_bank_details', e.t))) {
        lines.push(line(e, 1, g.variant === 'account_frozen' ? 'frozen' : 'wrong_bank'));
        truth.push(truthFor(e, 'settlement_failed', 'merchant_account', 'fault', g.variant)); hit(g); ctx.count(T, 'merchant_account', 'fault');
        continue;
      }
      if ((g = act('risk_hold', e.t))) {
        lines.push(line(e, 1, 'risk_hold'));
        truth.push(truthFor(e, 'unsettled', 'merchant_risk', 'fault', g.variant)); hit(g); ctx.count(T, 'merchant_risk', 'fault');
        continue;
      }
      switch (e.fate) {
        case 'missing':
          truth.push(truthFor(e, 'unsettled', 'reconciliation', 'fault', 'recon:missing'));
          break;
        case 'mismatch': {
          const delta = r.chance(0.5) ? Math.round(e.amount * r.pick([0.1, 0.15, 0.2])) : r.chance(0.5) ? -Math.max(1, Math.round(e.amount * 0.006)) : r.pick([1, -1, 100, -100, 900]);
          lines.push(line(e, 1, 'settled', Math.max(1, e.amount + delta)));
          truth.push(truthFor(e, 'amount_mismatch', 'reconciliation', 'fault', 'recon:mismatch'));
          break;
        }
        case 'duplicates':
          lines.push(line(e, 1, 'settled'), line(e, 1, 'settled'));
          truth.push(truthFor(e, 'duplicate', 'reconciliation', 'fault', 'recon:duplicates'));
          break;
        default:
          lines.push(line(e, 1, 'settled'));
      }
      if (e.fate) { hit(e.fault); ctx.count(T, 'reconciliation', 'fault'); }
    }
    out.push({ k: 'settle', lines, truth });
  }

  function lateBatch(a) {
    event(a.t, 'BATCH_CLOSE', 'BATCH_CLOSE_LATE', ` batch ${a.batchLabel} n=${a.snap.length}`);
    const lines = [], truth = [];
    for (const e of a.snap) {
      const L = a.fate === 'pending' ? line(e, 1, 'pending_cutoff') : line(e, 2, 'settled');
      lines.push(L);
      if (e.hidden) {
        truth.push(orphanTruth(L));
        hit(e.fault);
        ctx.count(T, 'reconciliation', 'fault');
      } else {
        truth.push(truthFor(e, 'unsettled', a.cause, 'fault', a.variant));
        if (a.f) hit(a.f);
        ctx.count(T, a.cause, 'fault');
      }
    }
    out.push({ k: 'settle', lines, truth });
  }

  // ---------- main loop ----------

  for (let d = 0; d <= T.days.length; d++) {
    if (d < T.days.length) planDay(d);
    const until = d + 1 < T.days.length ? T.days[d + 1].day0 : Infinity;
    while (H.size && H.peek().t < until) {
      const a = H.pop();
      switch (a.kind) {
        case 'emit': out.push({ ...a.item }); break;
        case 'attempt': attempt(a); break;
        case 'reversal': reversal(a); break;
        case 'version': version = a.v; break;
        case 'batch': batch(a); break;
        case 'lateBatch': lateBatch(a); break;
        default: throw new Error(`unknown action ${a.kind}`);
      }
      for (const item of out) { item.t = a.t; yield item; }
      out.length = 0;
    }
  }
}
