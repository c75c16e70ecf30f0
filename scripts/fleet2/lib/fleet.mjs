// Fleet plan: merchants, terminals (their ids, code profile, logging habits, volume, opening hours),
// the injected faults with their windows, and the one platform outage. Everything here is small
// (grows with terminals, not transactions) and is what truth.json is written from.

import { Rng } from './rng.mjs';
import { DAY, HOUR, weekday } from './time.mjs';
import { cityPick, areaCode, merchantId, terminalIdFor, CARD_REF_STYLES } from './ids.mjs';

const MIN = 60000;

// Opening hours in minutes after local midnight, daily volume, amount median (CNY) and spread, the
// share of hand-keyed entries, and the peaks of the day [hour, width, weight].
export const MTYPES = {
  restaurant: { mcc: '5812', w: 24, open: [600, 660], close: [1290, 1380], vol: 90, median: 125, sigma: 0.7, manual: 0.003, peaks: [[12.3, 1, 1], [18.8, 1.3, 1.2]] },
  supermarket: { mcc: '5411', w: 15, open: [420, 480], close: [1290, 1320], vol: 200, median: 85, sigma: 0.8, manual: 0.002, peaks: [[10.5, 2, 0.8], [18.5, 2, 1]] },
  convenience: { mcc: '5499', w: 12, open: [360, 420], close: [1350, 1400], vol: 140, median: 28, sigma: 0.6, manual: 0.001, peaks: [[8, 1.5, 0.8], [12.5, 1.5, 0.7], [20, 2, 1]] },
  department: { mcc: '5311', w: 9, open: [600, 600], close: [1290, 1320], vol: 110, median: 380, sigma: 0.9, manual: 0.004, peaks: [[15, 3, 1], [19.5, 1.5, 1]] },
  hotel: { mcc: '7011', w: 7, open: [360, 390], close: [1380, 1400], vol: 45, median: 620, sigma: 0.6, manual: 0.08, preauth: 0.3, peaks: [[9.5, 1.5, 1], [20, 2, 0.8]] },
  fuel: { mcc: '5541', w: 9, open: [360, 420], close: [1320, 1380], vol: 150, median: 260, sigma: 0.4, manual: 0.002, peaks: [[8.5, 1.5, 1], [18, 2, 1]] },
  pharmacy: { mcc: '5912', w: 8, open: [480, 510], close: [1260, 1320], vol: 60, median: 95, sigma: 0.7, manual: 0.003, peaks: [[10, 2, 1], [19, 2, 0.8]] },
  electronics: { mcc: '5732', w: 6, open: [600, 600], close: [1260, 1290], vol: 35, median: 1800, sigma: 0.9, manual: 0.01, peaks: [[15, 3, 1], [20, 1.5, 0.8]] },
  jewelry: { mcc: '5944', w: 3, open: [600, 600], close: [1260, 1290], vol: 16, median: 5200, sigma: 0.8, manual: 0.01, peaks: [[15, 3, 1]] },
  misc: { mcc: '5999', w: 7, open: [540, 600], close: [1260, 1320], vol: 50, median: 160, sigma: 0.9, manual: 0.005, peaks: [[13, 3, 1], [19, 2, 0.7]] },
};

// Acquirer families decide the terminal id shape, the usual code profile, how RRNs look and which key
// the settlement file carries.
const ACQUIRERS = [
  { name: 'acq-up-north', w: 30, tid: 'f41', profile: 'unionpay', rrn: 'ydddhh', settleKey: 'rrn' },
  { name: 'acq-up-city', w: 25, tid: 'city', profile: 'unionpay', rrn: 'ydddhh', settleKey: 'both' },
  { name: 'acq-intl', w: 25, tid: 'posHex', profile: 'iso', rrn: 'perm', settleKey: 'txnId' },
  { name: 'acq-iso-t', w: 20, tid: 'tseries', profile: 'iso', rrn: 'perm', settleKey: 'both' },
];

const MODELS = [
  // name, sdk family, mobile, versions
  ['Newland N910', 'ndk', true, ['V2.3.07', 'V2.3.11', 'V2.4.02']],
  ['Newland ME31', 'ndk', true, ['V1.8.3', 'V1.9.0']],
  ['PAX A920', 'sym', true, ['3.1.9', '3.2.0', '3.2.4']],
  ['PAX S90', 'ndk', false, ['6.02.1', '6.03.0']],
  ['Landi A8', 'sym', true, ['A8_2.6.1', 'A8_2.7.0']],
  ['Centerm K9', 'ndk', false, ['K9-1.4.12', 'K9-1.5.0']],
  ['Sunmi P2', 'sym', true, ['4.0.33', '4.1.2']],
  ['Verifone X990', 'sym', true, ['X990-7.2.0', 'X990-7.3.1']],
  ['Ingenico Move/5000', 'sym', true, ['11.30.2', '11.31.0']],
];

export const SCENARIOS = {
  fleet: { terminals: 300, days: 2, faultShare: 0.25, outage: true },
  'oneday-of-four': { terminals: 300, days: 4, faultShare: 0.25, outage: true },
  'merchant-1': { terminals: 1, days: 1, faultShare: 1, outage: false },
  'merchant-3': { terminals: 3, days: 2, faultShare: 1 / 3, outage: false },
  healthy: { terminals: 300, days: 2, faultShare: 0, outage: true },
};

// cause -> [[variant, weight]]
const FAULTS = {
  network: [['link_drops', 50], ['link_down', 28], ['tls', 10], ['batch_close', 12]],
  terminal_hardware: [['card_reader', 30], ['contactless_reader', 12], ['pinpad', 25], ['printer', 18], ['tamper', 5], ['battery', 10]],
  terminal_software: [['app_crash', 35], ['bad_update', 35], ['update_failed', 20], ['stan_reuse', 10]],
  configuration: [['mac_key', 40], ['not_permitted', 25], ['merchant_not_registered', 15], ['emv_params', 20]],
  environment: [['power_cut', 60], ['power_before_batch', 40]],
  cutoff: [['batch_close_failed', 50], ['late_batch', 50]],
  reconciliation: [['recon', 100]],
  merchant_account: [['account_frozen', 60], ['wrong_bank_details', 40]],
  merchant_risk: [['risk_hold', 100]],
};
const CAUSE_WEIGHTS = [
  ['network', 24], ['terminal_hardware', 22], ['terminal_software', 10], ['configuration', 10],
  ['environment', 8], ['cutoff', 6], ['reconciliation', 8], ['merchant_account', 5], ['merchant_risk', 5],
];
const MERCHANT_LEVEL = new Set(['power_cut', 'account_frozen', 'wrong_bank_details', 'risk_hold']);
// faults whose only evidence is events: such terminals always log events
const NEEDS_EVENTS = new Set(['batch_close', 'power_before_batch', 'power_cut', 'batch_close_failed', 'late_batch', 'tamper', 'battery']);

function pickTerminalsPerMerchant(rng, type) {
  const big = type === 'supermarket' || type === 'department';
  return rng.weighted(big
    ? [[1, 15], [2, 20], [3, 20], [4, 15], [rng.int(5, 8), 20], [rng.int(9, 14), 10]]
    : [[1, 62], [2, 20], [3, 9], [4, 5], [rng.int(5, 8), 4]]);
}

export function planFleet(opts) {
  const { seed, days, startWall } = opts;
  const rng = new Rng(seed, 'fleet', opts.scenario);
  const N = opts.terminals;
  const merchants = [];
  const terminals = [];
  const usedTid = new Set();
  const usedMid = new Set();
  const langMode = opts.messageLang;
  const acqPrefixes = new Map();

  const one = opts.scenario === 'merchant-1' || opts.scenario === 'merchant-3';
  while (terminals.length < N) {
    const type = one ? rng.pick(['restaurant', 'convenience', 'pharmacy', 'misc']) : rng.weighted(Object.entries(MTYPES).map(([k, v]) => [k, v.w]));
    const mt = MTYPES[type];
    const acq = rng.weighted(ACQUIRERS.map((a) => [a, a.w]));
    const [city, districts] = cityPick(rng);
    let mid;
    do mid = merchantId(areaCode(city), mt.mcc, rng.int(1, 9999)); while (usedMid.has(mid));
    usedMid.add(mid);
    const count = one ? N : Math.min(N - terminals.length, pickTerminalsPerMerchant(rng, type));
    const m = {
      idx: merchants.length, merchantId: mid, type, acquirer: acq.name, settleKey: acq.settleKey, city,
      txnIdStyle: rng.weighted([['uuid', 25], ['UUID', 8], ['digits19', 20], ['digits16', 10], ['digits14', 10], ['ord', 27]]),
      settleLang: acq.profile === 'unionpay' ? (rng.chance(0.8) ? 'zh' : 'en') : (rng.chance(0.3) ? 'zh' : 'en'),
      settleDialect: rng.int(0, 2),
      regulars: [],
      terminals: [],
    };
    const nReg = Math.max(20, Math.round(mt.vol * count * rng.range(0.4, 1.2)));
    for (let i = 0; i < nReg; i++) m.regulars.push(rng.int(0, opts.cardPoolSize - 1));
    if (!acqPrefixes.has(acq.name)) acqPrefixes.set(acq.name, { f41Prefix: String(rng.int(1000, 4999)), tPrefix: `T${rng.pick(['10000', '20500', '31000'])}` });
    const pre = acqPrefixes.get(acq.name);
    const district = rng.pick(districts);
    for (let k = 0; k < count; k++) {
      const idx = terminals.length;
      let tid;
      do tid = terminalIdFor(acq.tid, rng, { city, district, ...pre }); while (usedTid.has(tid));
      usedTid.add(tid);
      const [model, sdk, mobile, versions] = rng.pick(MODELS);
      const profile = rng.chance(0.9) ? acq.profile : acq.profile === 'iso' ? 'unionpay' : 'iso';
      const messageOnly = one && opts.scenario === 'merchant-1' ? false : rng.chance(1 / 6);
      const lang = langMode === 'en' ? 'en' : langMode === 'zh' ? 'zh' : rng.chance(profile === 'unionpay' ? 0.75 : 0.4) ? 'zh' : 'en';
      const connection = mobile ? rng.weighted([['4g', 65], ['wifi', 35]]) : rng.weighted([['ethernet', 50], ['wifi', 20], ['4g', 20], ['dialup', 10]]);
      const T = {
        idx, terminalId: tid, merchant: m, merchantId: mid, type, mt,
        profile,
        // unionpay terminals must say so; iso ones write it half the time
        profileField: profile === 'unionpay' ? 'unionpay' : rng.chance(0.5) ? 'iso' : null,
        messageOnly, lang, dialect: rng.int(0, 2),
        msgStyle: messageOnly && rng.chance(0.2) ? 'coded' : 'plain',
        msgRate: messageOnly ? 1 : rng.weighted([[0, 35], [0.3, 25], [1, 40]]),
        approvedMsg: rng.chance(0.5),
        sdk, model, mobile, connection,
        version: rng.pick(versions), versions,
        baseSignal: rng.int(-95, -62),
        logsContext: rng.chance(0.55),
        logsEvents: messageOnly ? rng.chance(0.5) : rng.chance(0.85),
        logsReversal: rng.chance(0.5),
        timeoutErr: rng.chance(0.5),
        timeoutMs: rng.pick([30000, 45000, 60000]),
        cardRefStyle: rng.weighted(CARD_REF_STYLES.map((s, i) => [s, [50, 15, 25, 10][i]])),
        tsStyle: opts.naiveTimes ? rng.weighted([['naive', 80], ['naiveMs', 20]]) : rng.weighted([['offset', 60], ['offsetMs', 20], ['utc', 15], ['utcMs', 5]]),
        amountStyle: rng.chance(0.5) ? 'num' : 'str',
        omitType: rng.chance(0.3),
        omitCurrency: rng.chance(0.4),
        authAlnum: rng.chance(0.3),
        rrnStyle: acq.rrn,
        volume: Math.max(6, Math.round(mt.vol * rng.lognormal(1, 0.45))),
        bgMult: rng.lognormal(1, 0.25),
        qr: rng.chance(0.4),
        nightlyReboot: rng.chance(0.3),
        stan0: rng.int(1, 900000),
        batch0: rng.int(1, 900),
        days: [],
        faults: [],
      };
      if (opts.scenario === 'merchant-1' || opts.scenario === 'merchant-3') T.volume = rng.int(105, 125);
      const srng = new Rng(seed, 'sched', idx);
      for (let d = 0; d < days; d++) {
        const day0 = startWall + d * DAY;
        const open = day0 + srng.int(mt.open[0], mt.open[1]) * MIN + srng.int(-8, 8) * MIN;
        const close = day0 + srng.int(mt.close[0], mt.close[1]) * MIN + srng.int(-10, 10) * MIN;
        const batch = Math.min(day0 + 23 * HOUR + 52 * MIN, close + srng.int(6, 35) * MIN);
        const wd = weekday(day0);
        const dow = wd === 0 || wd === 6 ? (type === 'restaurant' || type === 'department' || type === 'misc' ? 1.25 : 1.05) : 1;
        T.days.push({ day0, open, close, batch, dow });
      }
      terminals.push(T);
      m.terminals.push(T);
    }
    merchants.push(m);
  }

  const faults = [];
  if (opts.scenario === 'merchant-1') {
    for (let d = 0; d < days; d++) {
      const T = terminals[0];
      const D = T.days[d];
      addFault(faults, [T], { cause: 'network', variant: 'link_drops', day: d, from: D.open, to: D.close, severity: 'merchant-1' });
    }
  } else if (opts.faultShare > 0) {
    const frng = new Rng(seed, 'faults', opts.scenario);
    const order = frng.shuffle(terminals.slice());
    const target = opts.scenario === 'merchant-3' ? 1 : Math.round(opts.faultShare * N);
    let faulty = 0;
    for (const T of order) {
      if (faulty >= target) break;
      if (T.faults.length) continue;
      if (T.volume < 25 && frng.chance(0.7)) continue;
      let cause = opts.scenario === 'merchant-3'
        ? frng.weighted([['network', 3], ['terminal_hardware', 3], ['terminal_software', 2], ['configuration', 2]])
        : frng.weighted(CAUSE_WEIGHTS);
      let variant = frng.weighted(FAULTS[cause]);
      if (opts.scenario === 'merchant-3' && (MERCHANT_LEVEL.has(variant) || variant === 'batch_close' || variant === 'tamper' || variant === 'battery')) variant = FAULTS[cause][0][0];
      if (variant === 'battery' && T.connection !== '4g') variant = 'printer';
      const d = frng.int(0, days - 1);
      let group = [T];
      if (MERCHANT_LEVEL.has(variant)) {
        group = T.merchant.terminals.filter((x) => !x.faults.length);
        if (faulty + group.length > target + 3 || group.length > 4) { variant = cause === 'environment' ? 'power_before_batch' : null; group = [T]; }
        if (!variant) continue;
      }
      // out of paper is fixed within the hour once someone finds a roll; a printer fault is not
      const sub = variant === 'printer' ? (frng.chance(0.5) ? 'paper_out' : 'printer_fault') : undefined;
      // merchant-3 is about naming one terminal's fault: give it a few hours to show
      const win = windowFor(frng, group, d, cause, variant, sub, opts.scenario === 'merchant-3' ? frng.pick([3, 4, 6]) : undefined);
      addFault(faults, group, { cause, variant, day: d, sub, ...win });
      faulty += group.length;
    }
  }
  for (const f of faults) for (const T of f.terminals) if (NEEDS_EVENTS.has(f.variant)) T.logsEvents = true;

  let outage = null;
  if (opts.outage) {
    const orng = new Rng(seed, 'outage', opts.scenario);
    const d = orng.int(0, days - 1);
    const start = startWall + d * DAY + orng.int(10 * 60 + 30, 19 * 60 + 30) * MIN + orng.int(0, 59) * 1000;
    const end = start + orng.int(20, 40) * MIN;
    // the switch of all acquirers but one goes down (most of the fleet)
    const spared = orng.pick(ACQUIRERS.filter((a) => terminals.some((t) => t.merchant.acquirer === a.name))).name;
    let routed = new Set(terminals.filter((t) => t.merchant.acquirer !== spared).map((t) => t.idx));
    if (routed.size < 0.6 * terminals.length) routed = new Set(terminals.filter(() => orng.chance(0.85)).map((t) => t.idx));
    outage = { day: d, start, end, spared, routed, pCore: 0.7 };
  }
  return { merchants, terminals, faults, outage };
}

function addFault(faults, group, f) {
  const fault = { id: faults.length, ...f, terminals: group, hits: {} };
  faults.push(fault);
  for (const T of group) T.faults.push(fault);
}

// a fault shorter than this rarely leaves enough evidence to be found at all
const MIN_HOURS = { pinpad: 2, card_reader: 2, contactless_reader: 3, app_crash: 2, bad_update: 2, update_failed: 2, stan_reuse: 2, not_permitted: 3, emv_params: 2, link_drops: 2, recon: 2, risk_hold: 2 };

function windowFor(rng, group, d, cause, variant, sub, hours) {
  const D = group[0].days[d];
  const nextMorning = D.day0 + DAY;
  const span = D.close - D.open;
  const attemptWindow = (hours) => {
    const full = rng.chance(0.1);
    if (full) return { from: D.open, to: D.close };
    const min = MIN_HOURS[variant] || 1;
    const h = hours || rng.weighted([[1, 20], [2, 22], [3, 16], [4, 15], [6, 12], [8, 8]].filter(([x]) => x >= min));
    const dur = Math.min(span, h * HOUR);
    const from = D.open + Math.floor(rng.next() * Math.max(1, span - dur) / MIN) * MIN;
    return { from, to: from + dur };
  };
  switch (variant) {
    case 'batch_close': return { from: D.batch - rng.int(60, 180) * MIN, to: nextMorning + rng.int(300, 345) * MIN };
    case 'power_before_batch': return { from: Math.max(D.open + 2 * HOUR, D.batch - rng.int(30, 120) * MIN), to: nextMorning + rng.int(310, 335) * MIN };
    case 'batch_close_failed': return { from: D.open, to: D.batch + 20 * MIN };
    case 'late_batch': return { from: D.open, to: nextMorning + rng.int(5, 90) * MIN };
    case 'account_frozen': case 'wrong_bank_details':
      return { from: Math.min(...group.map((t) => t.days[d].open)), to: Math.max(...group.map((t) => t.days[d].batch)) + 15 * MIN };
    case 'power_cut': return attemptWindow(rng.pick([1, 2, 3]));
    case 'printer': if (sub === 'paper_out' && !hours) { const from = D.open + Math.floor(rng.next() * (span - 2 * HOUR) / MIN) * MIN; return { from, to: from + rng.int(30, 90) * MIN }; } return attemptWindow();
    case 'tamper': { const w = attemptWindow(rng.pick([2, 3, 4, 6])); return w; }
    default: return attemptWindow(hours);
  }
}

export { MIN };
