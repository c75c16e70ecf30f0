#!/usr/bin/env node
// fleet3 generator: an independent POS fleet simulator written from shared/design and shared/reference only.
// usage: node generate.mjs --out DIR --seed N --scenario S [--terminals N --days N --tz ZONE --format ndjson|csv|json --start YYYY-MM-DD]
import path from 'node:path';
import fs from 'node:fs';
import { Rng, hashStr, localParts, localToEpoch, localDate, addDays, fmtTime, isoOffset, serialize, writeFile, parseArgs } from './lib.mjs';
import { HOST, TERM, TERM_CAUSE, APPROVED_TEXT, EVENT_TEXT, SETTLE_TEXT } from './lexicon.mjs';

const MIN = 60000, HOUR = 3600000;

// ---------------- scenarios ----------------
export const SCENARIOS = {
  fleet: { terminals: 200, days: 2, region: 'cn', faultShare: 0.25, outage: true, decoys: true, format: 'ndjson' },
  merchant: { terminals: 2, days: 1, region: 'cn', lang: 'zh', singleMerchant: 'restaurant', faultCount: 1, outage: false, decoys: false, format: 'ndjson',
    faultMenu: ['reader_chip', 'weak_signal', 'pinpad', 'keys', 'power', 'bad_software', 'recon_missing', 'link_outage'] },
  healthy: { terminals: 150, days: 2, region: 'cn', faultShare: 0, outage: false, decoys: true, format: 'ndjson' },
  'csv-export': { terminals: 12, days: 2, region: 'cn', lang: 'zh', singleMerchant: 'supermarket', textBias: 'text', tsStyle: 'naive', faultCount: 3,
    faultMenu: ['reader_chip', 'weak_signal', 'recon_missing', 'pinpad', 'link_outage', 'keys'], outage: false, decoys: false, format: 'csv' },
  mixed: { terminals: 60, days: 1, region: 'cn', faultShare: 0.2, outage: true, decoys: true, format: 'json', eventsInLog: true, gzipSettlement: true },
  eu: { terminals: 80, days: 2, region: 'eu', tz: 'Europe/Berlin', currency: 'EUR', start: '2024-03-30', faultShare: 0.2, outage: true, decoys: true, format: 'ndjson' },
};

// fault kinds: cause an analyst gives, and where they can occur
const FAULTS = {
  weak_signal: { cause: 'network', ok: (t) => t.connection === '4g' },
  link_outage: { cause: 'network', ok: (t) => t.connection !== '4g' },
  close_failed_network: { cause: 'network', ok: (t, c) => t.merchant.acq === 'B' && c.days >= 2 },
  power: { cause: 'environment', ok: (t) => t.mobile && t.connection === 'wifi' },
  reader_chip: { cause: 'terminal_hardware', ok: () => true },
  reader_rf: { cause: 'terminal_hardware', ok: () => true },
  pinpad: { cause: 'terminal_hardware', ok: () => true },
  bad_software: { cause: 'terminal_software', ok: (t) => t.model === t.fleetBadModel },
  keys: { cause: 'configuration', ok: () => true },
  not_registered: { cause: 'configuration', ok: () => true },
  params_missing: { cause: 'configuration', ok: () => true },
  late_close: { cause: 'cutoff', ok: (t) => t.merchant.acq === 'B' && !t.merchant.h24 },
  not_closed: { cause: 'cutoff', ok: (t) => !t.merchant.h24 },
  merchant_risk: { cause: 'merchant_risk', merchantLevel: true, ok: () => true },
  merchant_account: { cause: 'merchant_account', merchantLevel: true, ok: () => true },
  recon_mismatch: { cause: 'reconciliation', ok: () => true },
  recon_missing: { cause: 'reconciliation', ok: () => true },
};
const FLEET_MIX = [['weak_signal', 8], ['link_outage', 5], ['close_failed_network', 1], ['power', 3], ['reader_chip', 4], ['reader_rf', 2], ['pinpad', 4],
  ['bad_software', 5], ['keys', 4], ['not_registered', 2], ['params_missing', 3], ['late_close', 2], ['not_closed', 2], ['merchant_risk', 1],
  ['merchant_account', 1], ['recon_mismatch', 2], ['recon_missing', 2]];

// ---------------- fleet model ----------------
const MODELS = {
  cn: [
    { family: 'pax', model: 'A920', mobile: true, conns: [['4g', 6], ['wifi', 4]], sw: 'V3.8.2', w: 18 },
    { family: 'pax', model: 'S90', mobile: false, conns: [['ethernet', 5], ['dialup', 2], ['4g', 3]], sw: 'V2.1.7', w: 8 },
    { family: 'newland', model: 'ME31', mobile: true, conns: [['4g', 1]], sw: 'NL5.1.07', w: 14 },
    { family: 'newland', model: 'N910', mobile: true, conns: [['4g', 5], ['wifi', 5]], sw: 'NL6.0.3', w: 14 },
    { family: 'sunmi', model: 'P2', mobile: true, conns: [['4g', 5], ['wifi', 5]], sw: '2.6.11', w: 18 },
    { family: 'verifone', model: 'V240m', mobile: true, conns: [['4g', 5], ['wifi', 5]], sw: 'VOS3-1.4.2', w: 8 },
    { family: 'verifone', model: 'VX520', mobile: false, conns: [['ethernet', 6], ['dialup', 4]], sw: 'EOS-6.2.0', w: 5 },
    { family: 'ingenico', model: 'Move/5000', mobile: true, conns: [['4g', 6], ['wifi', 4]], sw: 'TETRA-21.3', w: 8 },
    { family: 'ingenico', model: 'Desk/3500', mobile: false, conns: [['ethernet', 1]], sw: 'TETRA-21.1', w: 7 },
  ],
  eu: [
    { family: 'verifone', model: 'V240m', mobile: true, conns: [['4g', 5], ['wifi', 5]], sw: 'VOS3-1.4.2', w: 25 },
    { family: 'verifone', model: 'VX520', mobile: false, conns: [['ethernet', 7], ['dialup', 3]], sw: 'EOS-6.2.0', w: 15 },
    { family: 'ingenico', model: 'Move/5000', mobile: true, conns: [['4g', 5], ['wifi', 5]], sw: 'TETRA-21.3', w: 25 },
    { family: 'ingenico', model: 'Desk/3500', mobile: false, conns: [['ethernet', 1]], sw: 'TETRA-21.1', w: 20 },
    { family: 'pax', model: 'A920', mobile: true, conns: [['4g', 5], ['wifi', 5]], sw: 'V3.8.2', w: 15 },
  ],
};
const BAD_SW = { A920: 'V3.9.0', S90: 'V2.2.0', ME31: 'NL5.2.00', N910: 'NL6.1.0', P2: '2.7.0', V240m: 'VOS3-1.5.0', VX520: 'EOS-6.3.0', 'Move/5000': 'TETRA-22.0', 'Desk/3500': 'TETRA-22.0' };
const GOOD_SW = { A920: 'V3.8.3', S90: 'V2.1.8', ME31: 'NL5.1.08', N910: 'NL6.0.4', P2: '2.6.12', V240m: 'VOS3-1.4.3', VX520: 'EOS-6.2.1', 'Move/5000': 'TETRA-21.4', 'Desk/3500': 'TETRA-21.2' };

// merchant types: hourly weight profile, volume median per terminal-day, amount median
const H = (spec) => { const a = new Array(24).fill(0); for (const [from, to, w] of spec) for (let h = from; h < to; h++) a[h] = w; return a; };
const MTYPES = {
  supermarket: { hours: H([[8, 10, 2], [10, 12, 4], [12, 17, 3], [17, 20, 5], [20, 22, 2]]), close: 22, vol: 170, amt: 85, w: 14, zh: '超市' },
  convenience24: { hours: H([[0, 2, 1], [2, 6, 0.3], [6, 7, 1], [7, 9, 4], [9, 11, 2], [11, 13, 4], [13, 17, 2], [17, 22, 4], [22, 24, 2]]), close: 24, vol: 110, amt: 24, w: 9, zh: '便利店' },
  restaurant: { hours: H([[11, 14, 5], [14, 17, 0.6], [17, 21, 5], [21, 22, 1]]), close: 22, vol: 65, amt: 150, w: 18, zh: '餐厅' },
  retail: { hours: H([[10, 12, 2], [12, 18, 3], [18, 21, 4]]), close: 21, vol: 38, amt: 260, w: 22, zh: '服饰店' },
  pharmacy: { hours: H([[8, 12, 3], [12, 18, 2], [18, 21, 3]]), close: 21, vol: 50, amt: 60, w: 10, zh: '药房' },
  gas: { hours: H([[6, 9, 4], [9, 17, 3], [17, 20, 4], [20, 22, 2]]), close: 22, vol: 85, amt: 280, w: 8, zh: '加油站' },
  hotel: { hours: H([[0, 7, 0.3], [7, 12, 4], [12, 18, 2], [18, 24, 3]]), close: 24, vol: 24, amt: 650, w: 5, zh: '酒店' },
  jewelry: { hours: H([[10, 21, 1]]), close: 21, vol: 9, amt: 5200, w: 2, zh: '珠宝' },
};

const CN_BINS = [['622848', 'debit', 10], ['622202', 'debit', 10], ['621700', 'debit', 9], ['621661', 'debit', 5], ['621483', 'debit', 5], ['622260', 'debit', 4],
  ['621799', 'debit', 4], ['622690', 'debit', 2], ['625807', 'credit', 4], ['622588', 'credit', 4], ['436742', 'credit', 3], ['524090', 'credit', 2], ['625036', 'credit', 3], ['356899', 'credit', 0.5], ['438088', 'credit', 0.6]];
const EU_BINS = [['492181', 'debit', 10], ['453978', 'debit', 8], ['537410', 'debit', 8], ['670347', 'debit', 5], ['414720', 'credit', 6], ['542418', 'credit', 6], ['377311', 'credit', 1], ['676238', 'debit', 4]];

// ---------------- helpers ----------------
function phrase(term, key, list, rng) {
  if (!list || !list.length) return undefined;
  const base = hashStr(`${term.model}|${term.lang}|${key}|${term.fwSalt}`) % list.length;
  return rng.chance(0.15) ? rng.pick(list) : list[base];
}
function fill(s, vars) { return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? '')); }
function fmtAmount(cents) { return (cents / 100).toFixed(2); }

class Gen {
  constructor(cfg) {
    this.cfg = cfg;
    this.rng = new Rng(hashStr(`fleet3:${cfg.scenario}:${cfg.seed}`));
    this.txns = []; this.events = []; this.settle = []; this.truth = []; this.aux = [];
    this.rrnSeq = new Map();
    this.tz = cfg.tz; this.region = cfg.region;
    this.dates = Array.from({ length: cfg.days }, (_, i) => addDays(cfg.start, i));
    this.cutoverMin = 23 * 60; // host day-end at 23:00 local, 5 minutes
  }

  // ---------- construction ----------
  buildFleet() {
    const r = this.rng.fork('fleet');
    const cfg = this.cfg;
    const models = MODELS[this.region];
    this.merchants = []; this.terminals = [];
    const area = r.pick(['3100', '4403', '1100', '3301', '4401']);
    let mSeq = r.int(1000, 8000);
    const newMerchant = (type) => {
      const mt = MTYPES[type];
      const h24 = mt.close === 24;
      const acq = h24 ? 'A' : (r.chance(0.32) ? 'B' : 'A');
      const mcc = { supermarket: '5411', convenience24: '5499', restaurant: '5812', retail: '5651', pharmacy: '5912', gas: '5541', hotel: '7011', jewelry: '5944' }[type];
      const id = this.region === 'cn' ? `898${area}${mcc}${String(mSeq++).padStart(4, '0')}` : `DE${r.digits(4)}${mcc}${String(mSeq++ % 100).padStart(2, '0')}`;
      const closeMin = h24 ? 22 * 60 + 45 : Math.min(22 * 60 + 50, mt.close * 60 + r.int(10, 40));
      const m = { id, type, mt, h24, acq, closeMin, name: this.region === 'cn' ? `${r.pick(['鑫源', '华联', '老街', '佳和', '金榜', '百味', '悦来', '同福'])}${mt.zh}` : `${r.pick(['Kaiser', 'Linden', 'Alte Post', 'Hafen', 'Markt'])} ${type}`, terminals: [] };
      this.merchants.push(m);
      return m;
    };
    const mtypeW = Object.entries(MTYPES).map(([k, v]) => [k, v.w]);
    let merchant = null, left = 0;
    for (let i = 0; i < cfg.terminals; i++) {
      if (cfg.singleMerchant) { if (!merchant) merchant = newMerchant(cfg.singleMerchant); }
      else if (left <= 0) {
        merchant = newMerchant(r.weighted(mtypeW));
        left = merchant.type === 'supermarket' ? r.int(2, 6) : merchant.type === 'jewelry' ? 1 : r.weighted([[1, 6], [2, 3], [3, 1]]);
      }
      left--;
      const tr = this.rng.fork(`term:${i}`);
      const md = tr.weighted(models.map((m) => [m, m.w]));
      const connection = tr.weighted(md.conns);
      const cn = this.region === 'cn';
      const cnVendor = ['pax', 'newland', 'sunmi'].includes(md.family);
      const profile = cn ? (cnVendor ? (tr.chance(0.85) ? 'unionpay' : 'iso') : (tr.chance(0.3) ? 'unionpay' : 'iso')) : 'iso';
      const lang = cfg.lang || (cn ? (cnVendor ? (tr.chance(0.85) ? 'zh' : 'en') : (tr.chance(0.25) ? 'zh' : 'en')) : 'en');
      const textMode = cfg.textBias === 'text' ? tr.weighted([['text', 7], ['both', 3]]) : tr.weighted([['both', 50], ['codes', md.family === 'verifone' ? 0 : 25], ['text', 25]]); // Verifone's E-numbers mean nothing without the text
      const tsStyle = cfg.tsStyle || tr.weighted([['offset', 35], ['naive', 35], ['utc', 15], ['ms-offset', 15]]);
      const tid = merchant.acq === 'A' ? (cn ? `1${tr.digits(7)}` : `V4${tr.digits(6)}`) : (cn ? `TB${tr.digits(6)}` : `IN${tr.digits(6)}`);
      const t = {
        idx: i, terminalId: tid, merchant, model: md.model, family: md.family, mobile: md.mobile, connection, profile,
        emitProfile: profile === 'unionpay' || tr.chance(0.5), lang, textMode,
        msgStyle: tr.weighted([['plain', 6], ['codeParen', 2], ['declinedPrefix', 2]]), wideParen: tr.chance(0.5), tsStyle, fwSalt: tr.int(0, 1),
        hostErrorsAsFailed: md.family === 'ingenico' && tr.chance(0.6), // some apps log a 9x host answer as a failure, not a decline
        sw: md.sw, amountAsNumber: md.family === 'ingenico' && tr.chance(0.5), logsSignal: md.family !== 'verifone',
        vol: merchant.mt.vol * Math.exp(0.35 * tr.normal()), stan: tr.int(1, 400000), batch: tr.int(1, 900), seq: 0,
        faults: [], decoys: [], rng: tr, swTimeline: [],
      };
      merchant.terminals.push(t);
      this.terminals.push(t);
    }
    // one model cohort that gets the bad release in this fleet
    const counts = {};
    for (const t of this.terminals) counts[t.model] = (counts[t.model] || 0) + 1;
    const badModel = Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
    for (const t of this.terminals) t.fleetBadModel = badModel;
    this.buildCards();
  }

  buildCards() {
    const r = this.rng.fork('cards');
    const bins = this.region === 'cn' ? CN_BINS : EU_BINS;
    const n = Math.max(300, this.terminals.length * 60);
    this.cards = [];
    const seen = new Set();
    for (let i = 0; i < n; i++) {
      const [bin, kind] = r.weighted(bins.map((b) => [b, b[2]]));
      let last4; do { last4 = r.digits(4); } while (seen.has(bin + last4));
      seen.add(bin + last4);
      const debit = kind === 'debit';
      const scale = this.region === 'cn' ? 1 : 0.2;
      this.cards.push({
        i, bin, last4, kind, token: `tk_${r.alnum(14)}`,
        balance: Math.round((debit ? r.lognormal(7000, 1.1) : r.lognormal(18000, 0.7)) * 100 * scale),
        limitSingle: Math.round((debit && r.chance(0.06) ? r.pick([200000, 500000]) : 5000000) * scale),
        expired: r.chance(0.003), lost: r.chance(0.0005), restricted: r.chance(0.0015),
        chip: r.chance(this.region === 'cn' ? 0.93 : 0.98), wrongToday: new Map(),
      });
    }
  }

  cardRef(term, card) {
    switch (term.family) {
      case 'pax': return `${card.bin}******${card.last4}`;
      case 'newland': return `${card.bin}****${card.last4}`;
      case 'sunmi': return card.token;
      case 'verifone': return this.region === 'eu' ? `************${card.last4}` : `${card.bin}******${card.last4}`;
      default: return `${card.bin.slice(0, 4)} ${card.bin.slice(4)}** **** ${card.last4}`;
    }
  }

  // ---------- fault planning ----------
  dayStart(date) { const [y, m, d] = date.split('-').map(Number); return localToEpoch(y, m, d, 0, 0, 0, this.tz); }
  at(date, minutes) { const [y, m, d] = date.split('-').map(Number); return localToEpoch(y, m, d, Math.floor(minutes / 60), minutes % 60, 0, this.tz); }
  openSpan(t, date) { // first and last open minute of the terminal's merchant on a date
    const hrs = t.merchant.mt.hours; let a = 0, b = 23;
    while (a < 24 && !hrs[a]) a++;
    while (b > 0 && !hrs[b]) b--;
    return [this.at(date, a * 60), this.at(date, (b + 1) * 60) - 1000];
  }

  busySpan(t, date) { // where a fault shows: trading hours, or the day shift of a 24-hour shop
    if (t.merchant.h24) return [this.at(date, 8 * 60), this.at(date, 22 * 60)];
    return this.openSpan(t, date);
  }

  planFaults() {
    const cfg = this.cfg;
    const r = this.rng.fork('faults');
    let wanted = [];
    if (cfg.faultMenu) {
      // take the first kinds (in seeded order) that some terminal of this small fleet can have
      const free = new Set(this.terminals);
      for (const kind of r.shuffle(cfg.faultMenu)) {
        if (wanted.length >= (cfg.faultCount || 1)) break;
        const t = [...free].find((x) => FAULTS[kind].ok(x, cfg) && !FAULTS[kind].merchantLevel);
        if (t) { wanted.push(kind); free.delete(t); }
      }
    } else if (cfg.faultShare > 0) {
      const target = Math.round(cfg.terminals * cfg.faultShare);
      const tot = FLEET_MIX.reduce((s, [, w]) => s + w, 0);
      const share = FLEET_MIX.map(([k, w]) => ({ k, exact: (w * target) / tot }));
      for (const x of share) { x.n = Math.floor(x.exact); x.rem = x.exact - x.n; }
      let left = target - share.reduce((s, x) => s + x.n, 0);
      for (const x of [...share].sort((a, b) => b.rem - a.rem)) if (left-- > 0) x.n++;
      for (const x of share) for (let i = 0; i < x.n; i++) wanted.push(x.k);
    }
    const used = new Set();
    const pool = r.shuffle(this.terminals.filter((t) => t.merchant.type !== 'jewelry'));
    for (const kind of wanted) {
      const def = FAULTS[kind];
      const fits = (t) => !used.has(t) && def.ok(t, cfg) && t.vol >= 25 && (!def.merchantLevel || (t.merchant.terminals.length <= 2 && t.merchant.terminals.every((x) => !used.has(x))));
      let t = pool.find(fits) || pool.find((x) => !used.has(x) && def.ok(x, cfg) && (!def.merchantLevel || x.merchant.terminals.every((y) => !used.has(y))));
      if (!t && kind === 'bad_software') t = pool.find((x) => !used.has(x)); // small fleets: any model
      if (!t) { this.notes.push(`fault ${kind} skipped: no eligible terminal`); continue; }
      const targets = def.merchantLevel ? t.merchant.terminals : [t];
      for (const x of targets) { used.add(x); this.addFault(x, kind); }
    }
  }

  addFault(t, kind) {
    const r = t.rng.fork(`fault:${kind}`);
    const cause = FAULTS[kind].cause;
    const f = { kind, cause, windows: [], r };
    const d0 = this.dates[0], dN = this.dates[this.dates.length - 1];
    const [open0] = this.openSpan(t, d0);
    const endAll = this.dayStart(addDays(dN, 1)) - 1000;
    const span = (a, b) => f.windows.push({ start: a, end: b });
    switch (kind) {
      case 'weak_signal': { // congested cell / basement: bad all day, with short full drops
        f.p = r.float(0.3, 0.45);
        for (const d of this.dates) { const [a, b] = this.openSpan(t, d); span(a, b); }
        f.drops = [];
        for (const w of f.windows) for (let k = r.int(1, 3); k > 0; k--) {
          const s = w.start + r.float(0.1, 0.85) * (w.end - w.start); f.drops.push({ start: s, end: s + r.int(5, 18) * MIN });
        }
        break;
      }
      case 'link_outage': {
        f.drops = [];
        for (const d of this.dates) {
          const [a, b] = this.busySpan(t, d);
          for (let k = r.int(1, 2); k > 0; k--) { const s = a + r.float(0.1, 0.8) * (b - a); f.drops.push({ start: s, end: s + r.int(25, 80) * MIN }); }
        }
        f.windows = f.drops.map((x) => ({ ...x }));
        break;
      }
      case 'power': {
        const d = r.pick(this.dates); const [a, b] = this.busySpan(t, d);
        const s = a + r.float(0.2, 0.7) * (b - a); f.drops = [{ start: s, end: s + r.int(40, 110) * MIN }];
        f.windows = f.drops.map((x) => ({ ...x }));
        break;
      }
      case 'close_failed_network': {
        const close = this.at(d0, t.merchant.closeMin);
        f.night = { date: d0, down: close - r.int(5, 25) * MIN, close, up: this.at(this.dates[1], r.int(450, 500)), reclose: this.at(this.dates[1], r.int(505, 530)) };
        span(this.dayStart(d0), this.dayStart(addDays(d0, 1)) - 1000);
        break;
      }
      case 'reader_chip': case 'reader_rf': {
        const [a, b] = this.busySpan(t, r.pick(this.dates.slice(0, Math.max(1, this.dates.length - 1))));
        const s = a + r.float(0, 0.5) * (b - a);
        f.p0 = r.float(0.45, 0.6); f.p1 = r.float(0.7, 0.9); span(s, endAll);
        break;
      }
      case 'pinpad': f.p = r.float(0.3, 0.4); f.deadKeys = r.chance(0.5); span(open0 - HOUR, endAll); break;
      case 'bad_software': {
        const s = this.at(r.pick(this.dates.slice(0, Math.max(1, this.dates.length - 1))), r.int(120, 300)); // night push from the TMS
        f.from = t.sw; f.to = BAD_SW[t.model] || `${t.sw}-rc1`; f.pCrash = r.float(0.03, 0.06); f.pFmt = r.float(0.2, 0.35);
        span(s, endAll);
        break;
      }
      case 'keys': { const [a, b] = this.busySpan(t, r.pick(this.dates)); const s = a + Math.round(r.float(0.05, 0.6) * (b - a)); span(s, s + r.int(120, 240) * MIN); break; }
      case 'not_registered': { const [a] = this.busySpan(t, r.pick(this.dates)); span(a - 30 * MIN, a + r.int(180, 330) * MIN); break; }
      case 'params_missing': { const [a, b] = this.busySpan(t, r.pick(this.dates)); const s = a + Math.round(r.float(0, 0.5) * (b - a)); span(s, s + r.int(5, 20) * HOUR); break; }
      case 'late_close': case 'not_closed': case 'recon_mismatch': case 'recon_missing': case 'merchant_account':
        span(this.dayStart(d0), endAll); break;
      case 'merchant_risk': span(this.dayStart(d0), this.dayStart(addDays(d0, 1)) - 1000); break;
    }
    for (const w of [...f.windows, ...(f.drops || [])]) { w.start = Math.round(w.start); w.end = Math.round(w.end); }
    t.faults.push(f);
  }

  planDecoys() {
    if (!this.cfg.decoys) return;
    const r = this.rng.fork('decoys');
    const healthy = this.terminals.filter((t) => !t.faults.length);
    for (const t of healthy) {
      if (t.merchant.type === 'jewelry') t.decoys.push('high_ticket');
      if (t.merchant.h24) t.decoys.push('cutover_24h');
    }
    const pick = (n) => r.shuffle(healthy).slice(0, n);
    for (const t of pick(Math.max(1, Math.round(healthy.length * 0.04)))) { t.decoys.push('low_volume'); t.vol = r.int(3, 7); }
    for (const t of pick(Math.max(1, Math.round(healthy.length * 0.05)))) { t.decoys.push('same_card_retries'); t.forceNsf = true; }
    for (const t of pick(Math.max(1, Math.round(healthy.length * 0.2)))) t.goodUpdate = true;
    // one lost card tried at three shops within two hours
    const lost = this.cards.find((c) => c.lost) || this.cards[0];
    lost.lost = true;
    const tour = pick(3).filter((t) => !t.decoys.includes('low_volume'));
    const date = this.dates[0];
    let when = this.at(date, r.int(14 * 60, 17 * 60));
    this.tour = [];
    for (const t of tour) { t.decoys.push('stolen_card_tour'); this.tour.push({ t, when, card: lost }); when += r.int(20, 50) * MIN; }
  }

  planOutage() {
    if (!this.cfg.outage) return;
    const r = this.rng.fork('outage');
    const date = r.pick(this.dates);
    const start = this.at(date, r.int(11 * 60, 19 * 60));
    this.outage = { start, end: start + r.int(26, 36) * MIN, acq: 'A', p: 0.75, terminals: new Set(), failures: 0 };
  }

  // ---------- simulation ----------
  activeFault(t, kind, ms) { return t.faults.find((f) => f.kind === kind && f.windows.some((w) => ms >= w.start && ms <= w.end)); }
  inDrops(f, ms) { return f && f.drops && f.drops.some((w) => ms >= w.start && ms <= w.end); }

  rrn(t, ms) {
    const p = localParts(ms, this.tz);
    const doy = Math.floor((Date.UTC(p.y, p.mo - 1, p.d) - Date.UTC(p.y, 0, 0)) / 86400000);
    const key = t.merchant.acq === 'A' ? `${p.y % 10}${String(doy).padStart(3, '0')}${String(p.h).padStart(2, '0')}` : 'B';
    const n = (this.rrnSeq.get(key) || 0) + 1; this.rrnSeq.set(key, n);
    return key === 'B' ? `8${String(n + 31000000).padStart(11, '0')}` : `${key}${String(n).padStart(6, '0')}`;
  }
  txnId(t, ms) {
    t.seq++;
    const p = localParts(ms, this.tz); const pd = (x, n = 2) => String(x).padStart(n, '0');
    switch (t.family) {
      case 'pax': return /^\d+$/.test(t.terminalId) ? `${t.terminalId}${pd(p.y % 100)}${pd(p.mo)}${pd(p.d)}${pd(t.seq, 6)}` : `${t.terminalId}-${pd(p.y % 100)}${pd(p.mo)}${pd(p.d)}${pd(t.seq, 6)}`;
      case 'newland': return `NL${t.rng.hex(8).toUpperCase()}${pd(t.seq % 10000, 4)}`;
      case 'sunmi': { const h = t.rng.hex(32); return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`; }
      case 'verifone': return `${pd(t.stan % 1000000, 6)}-${pd(t.batch % 1000, 3)}-${t.terminalId.slice(-4)}`;
      default: return `I${p.y}${pd(p.mo)}${pd(p.d)}T${pd(p.h)}${pd(p.mi)}${pd(p.s)}-${pd(t.seq % 1000, 3)}${t.terminalId.slice(-2)}`;
    }
  }

  event(t, ms, name, vars = {}, detailKey = name) {
    if (ms % MIN === 0) ms += t.rng.int(0, 59) * 1000 + t.rng.int(0, 999); // device clocks do not tick on the minute
    const texts = EVENT_TEXT[detailKey]?.[t.lang];
    const e = { kind: 'event', terminalId: t.terminalId, timestamp: fmtTime(ms, this.tz, t.tsStyle), event: name };
    if (texts && !(t.textMode === 'codes' && t.rng.chance(0.5))) e.detail = fill(phrase(t, `ev:${detailKey}`, texts, t.rng), vars);
    this.events.push({ ms, row: e });
  }

  swAt(t, ms) { let v = t.sw; for (const [at, ver] of t.swTimeline) if (ms >= at) v = ver; return v; }

  simulateTerminal(t) {
    const r = t.rng.fork('sim');
    this.simR = r;
    // fault-driven events first
    for (const f of t.faults) this.faultEvents(t, f);
    if (t.goodUpdate && !t.faults.some((f) => f.kind === 'bad_software')) {
      const at = this.at(this.dates[0], r.int(60, 300));
      t.swTimeline.push([at, GOOD_SW[t.model] || `${t.sw}.1`]);
      this.event(t, at, 'SOFTWARE_UPDATE', { from: t.sw, to: GOOD_SW[t.model] }); this.event(t, at + r.int(40, 120) * 1000, 'REBOOT');
    }
    t.open = []; // approved money-moving records awaiting batch close
    t.closed = []; // {closeMs, batchId, recs}
    t.preauths = [];
    for (const date of this.dates) {
      // noise events
      if (r.chance(0.3)) this.event(t, this.at(date, r.int(180, 240)), 'REBOOT');
      if (r.chance(0.15)) this.event(t, this.at(date, r.int(9 * 60, 20 * 60)), 'PRINTER_PAPER_OUT');
      if (t.mobile && r.chance(0.15)) this.event(t, this.at(date, r.int(15 * 60, 21 * 60)), 'BATTERY_LOW', { pct: r.int(5, 15) });
      if (t.connection === '4g' && r.chance(0.2) && !t.faults.some((f) => f.kind === 'weak_signal')) this.event(t, this.at(date, r.int(9 * 60, 21 * 60)), 'SIGNAL_LOW', { dbm: r.int(-101, -96) });
      // sessions
      const hrs = t.merchant.mt.hours; const tot = hrs.reduce((a, b) => a + b, 0);
      const n = Math.max(1, Math.round(t.vol * Math.exp(0.2 * r.normal())));
      const times = [];
      for (let k = 0; k < n; k++) {
        let x = r.next() * tot, h = 0; while (h < 23 && x >= hrs[h]) { x -= hrs[h]; h++; }
        times.push(this.at(date, h * 60) + Math.floor(r.next() * HOUR));
      }
      times.sort((a, b) => a - b);
      const closeMs = this.closeTime(t, date);
      for (const tour of this.tour || []) if (tour.t === t && localDate(tour.when, this.tz) === date) times.push(-tour.when);
      if (t.forceNsf && date === this.dates[0]) times.push(-(this.at(date, 0) + r.int(12 * 60, 19 * 60) * MIN));
      const ordered = times.map((x) => [Math.abs(x), x < 0]).sort((a, b) => a[0] - b[0]);
      let closed = false;
      const nextClose = this.closeTime(t, addDays(date, 1));
      for (const [ms, special] of ordered) {
        if (!closed && ms >= closeMs) { this.batchClose(t, date, closeMs); closed = true; if (!t.merchant.h24) break; }
        this.session(t, ms, special, date, closed ? nextClose : closeMs);
      }
      if (!closed) this.batchClose(t, date, closeMs);
    }
    // what is still open closes the night after the log ends, like any other night
    if (t.open.length && !t.faults.some((f) => f.kind === 'not_closed')) {
      const next = addDays(this.dates[this.dates.length - 1], 1);
      this.batchClose(t, next, this.closeTime(t, next));
    }
    // batches still open at the end never reach the file (not_closed) - keep them as open
  }

  closeTime(t, date) {
    const f = t.faults.find((x) => x.kind === 'late_close');
    if (f) { if (!f.closeMin) f.closeMin = f.r.int(23 * 60 + 20, 24 * 60 + 50); return this.at(date, 0) + f.closeMin * MIN; }
    return this.at(date, t.merchant.closeMin);
  }

  batchClose(t, date, closeMs) {
    const r = this.simR;
    const nc = t.faults.find((f) => f.kind === 'not_closed');
    const cfn = t.faults.find((f) => f.kind === 'close_failed_network' && f.night.date === date);
    if (nc) {
      const at = this.at(date, 23 * 60) + r.int(20, 280) * 1000;
      this.event(t, at, 'BATCH_CLOSE_FAILED', {}, 'BATCH_CLOSE_FAILED_CUTOFF');
      for (const rec of t.open) rec.fate = { kind: 'missing', cause: 'cutoff', fault: 'not_closed' };
      return; // batch stays open
    }
    if (cfn) {
      this.event(t, cfn.night.close, 'BATCH_CLOSE_FAILED', {}, 'BATCH_CLOSE_FAILED_COMM');
      for (const rec of t.open) rec.fate = { kind: 'late', cause: 'network', fault: 'close_failed_network' };
      closeMs = cfn.night.reclose; // closed next morning after the link came back
    }
    if (!t.open.length) return;
    const batchId = String(t.batch).padStart(6, '0');
    for (const rec of t.open) rec.row.batchId = batchId;
    t.closed.push({ closeMs, batchId, recs: t.open });
    if (['pax', 'newland'].includes(t.family)) this.event(t, closeMs, 'BATCH_CLOSE', { batch: batchId });
    t.open = [];
    t.batch++;
  }

  faultEvents(t, f) {
    const r = f.r;
    const drops = f.drops || [];
    switch (f.kind) {
      case 'weak_signal':
        for (const w of f.windows) for (let ms = w.start + r.int(5, 50) * MIN; ms < w.end; ms += r.int(50, 110) * MIN) this.event(t, ms, 'SIGNAL_LOW', { dbm: r.int(-118, -106) });
        for (const d of drops) { if (r.chance(0.5)) this.event(t, d.start, 'NETWORK_DOWN'); if (r.chance(0.5)) this.event(t, d.end, 'NETWORK_UP'); }
        break;
      case 'link_outage':
        for (const d of drops) { if (r.chance(0.8)) this.event(t, d.start, 'NETWORK_DOWN'); if (r.chance(0.7)) this.event(t, d.end, 'NETWORK_UP'); }
        break;
      case 'power':
        for (const d of drops) {
          this.event(t, d.start, 'POWER_LOSS');
          if (r.chance(0.6)) this.event(t, d.start + r.int(3, 20) * 1000, 'NETWORK_DOWN');
          if (r.chance(0.5)) this.event(t, d.start + r.int(20, 35) * MIN, 'BATTERY_LOW', { pct: r.int(12, 25) });
          if (r.chance(0.75)) this.event(t, d.end, 'NETWORK_UP');
        }
        break;
      case 'close_failed_network':
        this.event(t, f.night.down, 'NETWORK_DOWN'); this.event(t, f.night.up, 'NETWORK_UP');
        break;
      case 'reader_chip': case 'reader_rf':
        if (r.chance(0.45)) for (let k = r.int(1, 3); k > 0; k--) this.event(t, f.windows[0].start + r.int(0, 20 * 60) * MIN, 'READER_FAULT');
        break;
      case 'pinpad': if (r.chance(0.35)) this.event(t, f.windows[0].start + r.int(60, 600) * MIN, 'PINPAD_FAULT'); break;
      case 'bad_software':
        t.swTimeline.push([f.windows[0].start, f.to]);
        this.event(t, f.windows[0].start, 'SOFTWARE_UPDATE', { from: f.from, to: f.to });
        this.event(t, f.windows[0].start + r.int(60, 180) * 1000, 'REBOOT');
        break;
      case 'keys': {
        const w = f.windows[0];
        this.event(t, w.start - r.int(1, 5) * MIN, r.chance(0.7) ? 'KEY_SYNC_FAILED' : 'SIGN_ON_FAILED');
        if (r.chance(0.5)) this.event(t, w.end - r.int(1, 3) * MIN, 'REBOOT');
        break;
      }
      case 'not_registered': if (r.chance(0.6)) this.event(t, f.windows[0].start + r.int(1, 20) * MIN, 'SIGN_ON_FAILED', {}, 'SIGN_ON_FAILED_REG'); break;
      case 'params_missing': if (r.chance(0.5)) this.event(t, f.windows[0].start - r.int(1, 10) * MIN, 'PARAM_DOWNLOAD_FAILED'); break;
    }
  }

  pickCard(t, r) {
    // regulars at this merchant plus the whole city
    const pool = this.cards;
    if (r.chance(0.25)) { const base = hashStr(t.merchant.id) % pool.length; return pool[(base + r.int(0, 40)) % pool.length]; }
    return pool[r.int(0, pool.length - 1)];
  }

  session(t, ms, special, date, batchEnd) {
    const r = this.simR;
    const m = t.merchant;
    const isTour = special && this.tour?.some((x) => x.t === t && x.when === ms);
    const forceNsf = special && !isTour;
    let card = isTour ? this.tour.find((x) => x.t === t && x.when === ms).card : this.pickCard(t, r);
    let type = 'sale';
    if (m.type === 'hotel') type = r.weighted([['preauth', 45], ['sale', 40], ['completion', t.preauths.length ? 15 : 0]]);
    else if (!special) type = r.weighted([['sale', 975], ['refund', t.recentSales?.length ? 10 : 0], ['balance', 6]]);
    let amount = Math.max(100, Math.round(r.lognormal(m.mt.amt * (this.region === 'cn' ? 1 : 0.15), 0.8) * 100));
    if (m.type === 'gas' || m.type === 'supermarket') amount = Math.round(amount / 10) * 10;
    let orig;
    if (type === 'refund') { orig = r.pick(t.recentSales); amount = orig.amountC; }
    if (type === 'completion') { orig = t.preauths.shift(); amount = Math.round(orig.amountC * r.float(0.6, 1)); }
    if (forceNsf) { card = { ...card, balance: 1500, limitSingle: 5000000, expired: false, lost: false, restricted: false, wrongToday: new Map(), decoyCopy: true }; amount = r.int(200, 600) * 100; }
    const cn = this.region === 'cn';
    let entry = type === 'balance' ? 'chip' : r.weighted(cn ? [['chip', 44], ['contactless', amount < 100000 ? 34 : 0], ['swipe', 6], ['qr', 14]] : [['contactless', amount < 15000 ? 62 : 5], ['chip', 35], ['swipe', 2]]);
    if (isTour || forceNsf) entry = 'chip';
    if (!card.chip && (entry === 'chip' || entry === 'contactless')) entry = 'swipe';
    if (type !== 'sale') entry = entry === 'qr' ? 'chip' : entry;
    let attempt = 0, now = ms;
    const maxAttempts = forceNsf ? 4 : isTour ? 2 : 4;
    while (attempt < maxAttempts) {
      attempt++;
      const pinNeeded = entry !== 'qr' && (type === 'balance' || ((entry === 'chip' || entry === 'swipe' || entry === 'fallback') && (card.kind === 'debit' || (card.i % 5) < 3)) || (entry === 'contactless' && amount > (cn ? 100000 : 5000)));
      const ctx = { t, ms: now, entry, card, type, amount, pinNeeded, attempt, date, forceNsf };
      const res = this.decide(ctx, r);
      const rec = this.record(ctx, res, r, orig);
      if (res.kind === 'approved') {
        if (type === 'sale' || type === 'refund' || type === 'completion') {
          const item = { row: rec, ms: now, amountC: amount, t, type, fate: { kind: 'ok' } };
          t.open.push(item);
          if (type === 'sale') { (t.recentSales ||= []).push(item); if (t.recentSales.length > 30) t.recentSales.shift(); }
          if (type === 'sale' && r.chance(0.015)) { const vms = now + r.int(1, 35) * MIN; if (vms < batchEnd - MIN && !this.anyFaultAt(t, vms)) this.voidOf(t, item, vms, r); }
        } else if (type === 'preauth') { t.preauths.push({ row: rec, amountC: amount }); this.aux.push({ txnId: rec.txnId, rrn: rec.rrn, terminalId: t.terminalId, category: 'preauth' }); }
        else this.aux.push({ txnId: rec.txnId, rrn: rec.rrn, terminalId: t.terminalId, category: type });
        if (type === 'refund') this.aux.push({ txnId: rec.txnId, rrn: rec.rrn, terminalId: t.terminalId, category: 'refund' });
        if (type === 'completion') this.aux.push({ txnId: rec.txnId, rrn: rec.rrn, terminalId: t.terminalId, category: 'completion' });
        return;
      }
      if (isTour) return; // the thief walks away
      if (res.status === 'timeout' && r.chance(0.7)) this.reversalOf(t, rec, amount, now + r.int(20, 240) * 1000, r);
      // does the customer try again, and how
      const rs = res.reason;
      let again = 0.5, gap = r.int(15, 90);
      if (forceNsf) again = 1;
      else if (rs === 'wrong_pin') again = 0.8;
      else if (rs === 'pin_tries' || rs === 'lost_stolen' || rs === 'expired' || rs === 'card_unsupported') { again = 0.5; card = this.pickCard(t, r); }
      else if (rs === 'insufficient_funds') { again = 0.45; if (r.chance(0.6)) card = this.pickCard(t, r); else amount = Math.round(amount / 2); }
      else if (rs === 'limit') { again = 0.5; amount = Math.round(amount / 2); }
      else if (rs === 'chip_read') { again = 0.75; if (r.chance(0.5)) entry = 'fallback'; }
      else if (rs === 'rf_read') { again = 0.75; entry = card.chip ? 'chip' : 'swipe'; }
      else if (rs === 'no_aid') { again = 0.5; entry = 'qr'; card = card; }
      else if (rs === 'cutover') { again = 0.7; gap = r.int(300, 420); }
      else if (rs === 'app_crash') { again = 0.7; gap = r.int(70, 150); }
      else if (rs === 'insert_chip' || rs === 'chip_must_insert') { again = 0.85; entry = 'chip'; }
      else if (['comm_timeout', 'connect_fail', 'wifi_fail', 'cable_unplugged', 'no_carrier', 'cell_weak', 'offline_declined', 'sys_malfunction', 'issuer_down'].includes(rs)) { again = attempt >= 2 ? 0.35 : 0.65; if (r.chance(0.25) && type === 'sale' && this.region === 'cn') entry = 'qr'; }
      else if (rs === 'mac_error' || rs === 'pin_key_error' || rs === 'invalid_merchant' || rs === 'terminal_unknown') again = attempt >= 2 ? 0.1 : 0.4;
      if (!r.chance(again)) return;
      if (entry === 'qr' && type !== 'sale') entry = 'chip';
      now += gap * 1000;
    }
  }

  anyFaultAt(t, ms) { return t.faults.some((f) => f.windows.some((w) => ms >= w.start && ms <= w.end) && !['late_close', 'not_closed', 'recon_mismatch', 'recon_missing', 'merchant_account', 'merchant_risk', 'close_failed_network'].includes(f.kind)); }

  // the heart: what happens to one attempt
  decide(c, r) {
    const { t, ms, entry, card, type, pinNeeded, amount } = c;
    const unionpay = t.profile === 'unionpay';
    const inOutage = this.outage && ms >= this.outage.start && ms <= this.outage.end;
    const nearOutage = this.outage && ms >= this.outage.start - 10 * MIN && ms <= this.outage.end + 10 * MIN;
    const readerF = this.activeFault(t, 'reader_chip', ms) || this.activeFault(t, 'reader_rf', ms);
    const padF = pinNeeded && this.activeFault(t, 'pinpad', ms);
    const term = (reason, cause, fault) => ({ kind: 'term', reason, status: TERM[reason].status, cause, fault });
    const host = (reason, cause, fault) => ({ kind: 'host', reason, status: 'declined', cause: cause || HOST[reason].cause, fault });

    // cardholder / operator aborts before anything is sent
    if (!c.forceNsf) {
      if (r.chance(0.005)) return term('user_cancel', 'input_error', 'bg');
      if (pinNeeded && !padF && r.chance(0.0015)) return term('pin_timeout', 'input_error', 'bg');
      if (entry === 'chip' && !readerF && r.chance(0.0025)) return term('card_removed', 'input_error', 'bg');
      if (entry === 'swipe' && card.chip && !readerF && r.chance(0.08)) return unionpay && r.chance(0.5) ? host('chip_must_insert', 'input_error', 'bg') : term('insert_chip', 'input_error', 'bg');
    }
    // terminal-side hardware and parameters
    const params = this.activeFault(t, 'params_missing', ms);
    if (params && (entry === 'chip' || entry === 'contactless')) return term('no_aid', 'configuration', 'params_missing');
    if (readerF) {
      const w = readerF.windows[0]; const p = readerF.p0 + (readerF.p1 - readerF.p0) * Math.min(1, (ms - w.start) / (2 * 86400000));
      if (readerF.kind === 'reader_chip' && entry === 'chip' && r.chance(p)) return term('chip_read', 'terminal_hardware', 'reader_chip');
      if (readerF.kind === 'reader_rf' && entry === 'contactless' && r.chance(p)) return term('rf_read', 'terminal_hardware', 'reader_rf');
    }
    if (padF && padF.deadKeys && r.chance(0.04)) return term('pinpad_err', 'terminal_hardware', 'pinpad');
    const sw = this.activeFault(t, 'bad_software', ms);
    if (sw && r.chance(sw.pCrash)) {
      this.event(t, ms - r.int(1, 5) * 1000, 'APP_CRASH'); this.event(t, ms + r.int(30, 80) * 1000, 'REBOOT');
      return term('app_crash', 'terminal_software', 'bad_software');
    }
    // the link
    for (const kind of ['power', 'link_outage']) {
      const f = this.activeFault(t, kind, ms);
      if (f && this.inDrops(f, ms)) {
        const reason = t.connection === 'wifi' ? r.weighted([['wifi_fail', 6], ['connect_fail', 4]]) : t.connection === 'ethernet' ? r.weighted([['cable_unplugged', 4], ['connect_fail', 6]]) : t.connection === 'dialup' ? 'no_carrier' : 'connect_fail';
        return term(reason, f.cause, kind);
      }
    }
    const weak = this.activeFault(t, 'weak_signal', ms);
    if (weak && (this.inDrops(weak, ms) || r.chance(weak.p))) {
      const full = this.inDrops(weak, ms);
      let reason = r.weighted([['comm_timeout', full ? 0 : 45], ['cell_weak', 20], ['connect_fail', 15], ['offline_declined', entry === 'chip' ? 20 : 0]]);
      if (reason === 'comm_timeout' && nearOutage) reason = 'cell_weak'; // a timeout inside the outage would be ambiguous
      return reason === 'offline_declined' ? { kind: 'z3', reason, status: 'declined', cause: 'network', fault: 'weak_signal' } : term(reason, 'network', 'weak_signal');
    }
    // host-side rejections that are about this terminal's setup
    const reg = this.activeFault(t, 'not_registered', ms);
    if (reg) return host(unionpay && r.chance(0.4) ? 'terminal_unknown' : 'invalid_merchant', 'configuration', 'not_registered');
    const keys = this.activeFault(t, 'keys', ms);
    if (keys) return host(pinNeeded && r.chance(0.3) ? 'pin_key_error' : 'mac_error', 'configuration', 'keys');
    if (sw && (entry === 'chip' || entry === 'contactless') && r.chance(sw.pFmt)) return host('format_error', 'terminal_software', 'bad_software');
    // fleet-wide platform outage
    if (inOutage && t.merchant.acq === this.outage.acq && r.chance(this.outage.p)) {
      const netFault = weak || t.faults.some((f) => (f.kind === 'link_outage' || f.kind === 'power') && this.inDrops(f, ms));
      let reason = r.weighted([['sys_malfunction', 40], ['issuer_down', 30], ['comm_timeout', netFault ? 0 : 30]]);
      this.outage.terminals.add(t.terminalId); this.outage.failures++;
      return reason === 'comm_timeout' ? term(reason, 'issuer_platform', 'outage') : host(reason, 'issuer_platform', 'outage');
    }
    // host day-end cutover
    const lp = localParts(ms, this.tz); const minOfDay = lp.h * 60 + lp.mi;
    if (minOfDay >= this.cutoverMin && minOfDay < this.cutoverMin + 5) return host('cutover', 'cutoff', 'bg');
    // PIN verification
    if (pinNeeded) {
      const wrongs = card.wrongToday.get(c.date) || 0;
      const garbled = padF && r.chance(padF.p);
      if (garbled || r.chance(0.035)) {
        card.wrongToday.set(c.date, wrongs + 1);
        const reason = wrongs >= 2 ? 'pin_tries' : 'wrong_pin';
        return garbled ? host(reason, 'terminal_hardware', 'pinpad') : (padF ? host(reason, 'terminal_hardware', 'pinpad') : host(reason, 'input_error', 'bg'));
      }
    }
    // issuer decisions
    if (card.lost) return host('lost_stolen', 'fraud', 'bg');
    if (card.expired) return host('expired', 'card', 'bg');
    if (card.restricted) return host('card_unsupported', 'card', 'bg');
    if (type === 'balance') return { kind: 'approved' };
    if (type !== 'refund') {
      if (amount > card.limitSingle) return host('limit', 'limits', 'bg');
      if (r.chance(0.0006)) return host('limit', 'limits', 'bg');
      if (type !== 'completion' && amount > card.balance) return host('insufficient_funds', 'cardholder_account', 'bg');
      if (r.chance(0.0035)) return host('do_not_honor', 'issuer_decline', 'bg');
      if (r.chance(0.0005)) return host('no_account', 'cardholder_account', 'bg');
    }
    if (!nearOutage) {
      if (r.chance(0.0004)) return host(r.pick(['issuer_down', 'sys_malfunction']), 'issuer_platform', 'bg');
      if (r.chance(t.connection === '4g' ? 0.0025 : 0.001)) return term(r.chance(0.7) ? 'comm_timeout' : 'connect_fail', 'network', 'bg');
    }
    if (card.kind === 'debit' && type === 'sale' && !card.decoyCopy) card.balance -= amount;
    return { kind: 'approved' };
  }

  baseRow(t, ms, type, amount) {
    const row = { txnId: this.txnId(t, ms), terminalId: t.terminalId, merchantId: t.merchant.id, timestamp: fmtTime(ms, this.tz, t.tsStyle), type };
    if (amount !== undefined) row.amount = t.amountAsNumber ? Number(fmtAmount(amount)) : fmtAmount(amount);
    if (t.rng.chance(0.7) || this.region !== 'cn') row.currency = this.cfg.currency;
    return row;
  }

  record(c, res, r, orig) {
    const { t, ms, entry, card, type, amount } = c;
    t.stan = (t.stan % 999999) + 1;
    const row = this.baseRow(t, ms, type, type === 'balance' ? undefined : amount);
    const lang = t.lang;
    const mode = t.textMode;
    let code, ecode, msg, rrn;
    if (res.kind === 'approved') {
      row.status = 'approved'; code = '00'; rrn = this.rrn(t, ms);
      msg = phrase(t, 'ok', APPROVED_TEXT[lang], r);
    } else if (res.kind === 'host') {
      row.status = t.hostErrorsAsFailed && ['sys_malfunction', 'issuer_down', 'format_error'].includes(res.reason) ? 'failed' : 'declined'; rrn = this.rrn(t, ms);
      const forms = HOST[res.reason].forms.filter((f) => (t.profile === 'unionpay' ? f.cup : f.iso));
      const form = forms[hashStr(`${t.model}${res.reason}${t.fwSalt}`) % forms.length] || HOST[res.reason].forms[0];
      code = t.profile === 'unionpay' ? form.cup : form.iso;
      msg = phrase(t, `h:${res.reason}:${code}`, form[lang], r);
      if (msg && code) {
        if (t.msgStyle === 'codeParen') msg = lang === 'zh' ? (t.wideParen ? `交易失败（${code}）${msg}` : `交易失败(${code})${msg}`) : `DECLINED (${code}) ${msg}`;
        else if (t.msgStyle === 'declinedPrefix') msg = lang === 'zh' ? `拒绝交易：${msg}` : `Declined: ${msg}`;
      }
    } else if (res.kind === 'z3') {
      row.status = 'declined'; code = 'Z3'; msg = phrase(t, 'z3', TERM.offline_declined[lang], r);
    } else {
      const def = TERM[res.reason];
      row.status = def.status;
      ecode = phrase(t, `e:${res.reason}`, def.codes[t.family], r);
      msg = phrase(t, `t:${res.reason}`, def[lang], r);
    }
    if (mode === 'text' && res.kind !== 'approved') { code = res.kind === 'z3' ? undefined : undefined; ecode = undefined; }
    if (mode === 'text' && res.kind === 'approved' && r.chance(0.5)) code = undefined;
    if (mode === 'codes') msg = undefined;
    if (res.kind === 'z3' && mode === 'codes') code = 'Z3';
    if (code) row.responseCode = code;
    if (t.emitProfile) row.codeProfile = t.profile;
    if (ecode) row.errorCode = ecode;
    if (msg) row.message = msg;
    row.entryMode = entry;
    if (rrn) row.rrn = rrn;
    row.stan = String(t.stan).padStart(6, '0');
    if (res.kind === 'approved') row.authCode = t.family === 'verifone' ? r.alnum(6) : r.digits(6);
    row.batchId = String(t.batch).padStart(6, '0');
    if (entry !== 'qr') row.cardRef = this.cardRef(t, card);
    row.softwareVersion = this.swAt(t, ms);
    row.model = t.model;
    row.connection = t.connection;
    const weak = this.activeFault(t, 'weak_signal', ms);
    if (t.logsSignal && (t.connection === '4g' || t.connection === 'wifi')) row.signalDbm = weak ? r.int(-118, -103) : t.connection === '4g' ? r.int(-95, -68) : r.int(-72, -42);
    if (res.kind === 'approved' || res.kind === 'host') {
      const inOut = this.outage && ms >= this.outage.start && ms <= this.outage.end;
      row.latencyMs = weak ? r.int(2500, 24000) : inOut ? r.int(2500, 9000) : r.int(280, 1600);
    } else if (res.status === 'timeout') row.latencyMs = r.pick([30000, 45000, 60000]);
    if (orig) { row.originalRrn = orig.row.rrn; if (r.chance(0.5)) row.originalTxnId = orig.row.txnId; }
    if (this.region === 'cn' && r.chance(0.5)) row.merchantName = t.merchant.name;
    this.txns.push({ ms, row });
    if (res.kind !== 'approved') {
      if (res.fault === 'outage') { /* counted in decide */ }
      this.truth.push({ txnId: row.txnId, rrn: row.rrn ?? null, terminalId: t.terminalId, outcome: row.status, cause: res.cause, fault: res.fault, reason: res.reason, at: isoOffset(ms, this.tz) });
    }
    return row;
  }

  voidOf(t, item, ms, r) {
    t.stan = (t.stan % 999999) + 1;
    const row = this.baseRow(t, ms, 'void', item.amountC);
    Object.assign(row, { status: 'approved' });
    if (t.textMode !== 'text') row.responseCode = '00';
    if (t.emitProfile) row.codeProfile = t.profile;
    if (t.textMode !== 'codes') row.message = t.lang === 'zh' ? '撤销成功' : 'VOID APPROVED';
    Object.assign(row, { entryMode: item.row.entryMode, rrn: this.rrn(t, ms), stan: String(t.stan).padStart(6, '0'), authCode: item.row.authCode, batchId: item.row.batchId });
    if (item.row.cardRef) row.cardRef = item.row.cardRef;
    Object.assign(row, { softwareVersion: this.swAt(t, ms), model: t.model, connection: t.connection, originalTxnId: item.row.txnId, originalRrn: item.row.rrn });
    this.txns.push({ ms, row });
    t.open = t.open.filter((x) => x !== item);
    t.recentSales = t.recentSales.filter((x) => x !== item);
    this.aux.push({ txnId: item.row.txnId, rrn: item.row.rrn, terminalId: t.terminalId, category: 'voided_sale' });
    this.aux.push({ txnId: row.txnId, rrn: row.rrn, terminalId: t.terminalId, category: 'void' });
  }

  reversalOf(t, orig, amountC, ms, r) {
    t.stan = (t.stan % 999999) + 1;
    const row = this.baseRow(t, ms, 'reversal', amountC);
    row.status = 'approved';
    if (t.textMode !== 'text') row.responseCode = '00';
    if (t.emitProfile) row.codeProfile = t.profile;
    if (t.textMode !== 'codes') row.message = t.lang === 'zh' ? r.pick(['冲正成功', '自动冲正完成']) : r.pick(['REVERSAL OK', 'Auto reversal sent']);
    Object.assign(row, { entryMode: orig.entryMode, stan: String(t.stan).padStart(6, '0'), batchId: orig.batchId });
    if (orig.cardRef) row.cardRef = orig.cardRef;
    Object.assign(row, { softwareVersion: this.swAt(t, ms), model: t.model, connection: t.connection, originalTxnId: orig.txnId, originalStan: orig.stan });
    this.txns.push({ ms, row });
    this.aux.push({ txnId: row.txnId, rrn: null, terminalId: t.terminalId, category: 'reversal' });
  }

  // ---------- settlement ----------
  buildSettlement() {
    const r = this.rng.fork('settle');
    const lastFileDate = addDays(this.dates[this.dates.length - 1], 2); // exported two days after the last trading day
    for (const t of this.terminals) {
      const risk = t.faults.find((f) => f.kind === 'merchant_risk');
      const acct = t.faults.find((f) => f.kind === 'merchant_account');
      const mism = t.faults.find((f) => f.kind === 'recon_mismatch');
      const miss = t.faults.find((f) => f.kind === 'recon_missing');
      for (const b of t.closed) {
        const lp = localParts(b.closeMs, this.tz);
        let business = localDate(b.closeMs, this.tz);
        if (lp.h * 60 + lp.mi >= this.cutoverMin) business = addDays(business, 1);
        const settleDate = t.merchant.acq === 'A' ? business : addDays(business, 1);
        for (const item of b.recs) {
          const txnDate = localDate(item.ms, this.tz);
          if (settleDate > addDays(txnDate, 1) && item.fate.kind === 'ok') item.fate = { kind: 'late', cause: 'cutoff', fault: 'late_close' };
          if (miss && r.chance(0.09)) { item.fate = { kind: 'missing', cause: 'reconciliation', fault: 'recon_missing' }; continue; }
          let status = 'settled', reasonCode, message, amountC = item.amountC;
          if (risk && item.ms >= risk.windows[0].start && item.ms <= risk.windows[0].end) {
            status = 'held'; reasonCode = r.pick(SETTLE_TEXT.risk_hold.code); message = phrase(t, 'risk', SETTLE_TEXT.risk_hold[t.lang], r);
            item.fate = { kind: 'held', cause: 'merchant_risk', fault: 'merchant_risk' };
          } else if (acct) {
            status = r.chance(0.7) ? 'failed' : 'rejected'; reasonCode = r.pick(SETTLE_TEXT.merchant_acct.code); message = phrase(t, 'acct', SETTLE_TEXT.merchant_acct[t.lang], r);
            item.fate = { kind: 'failed', cause: 'merchant_account', fault: 'merchant_account' };
          } else if (mism && item.type === 'sale' && r.chance(0.1)) {
            amountC = r.chance(0.6) ? item.amountC + Math.max(100, Math.round(item.amountC * r.float(0.08, 0.15) / 100) * 100) : Math.round(item.amountC * 0.994);
            item.fate = { kind: 'mismatch', cause: 'reconciliation', fault: 'recon_mismatch' };
          }
          if (settleDate > lastFileDate) continue; // beyond the export's date range
          const line = this.settleLine(t, item, settleDate, b.batchId, status, amountC, reasonCode, message, r);
          this.settle.push(line);
          if (mism && status === 'settled' && item.fate.kind === 'ok' && r.chance(0.04)) {
            this.settle.push({ ...line });
            item.fate = { kind: 'dup', cause: 'reconciliation', fault: 'recon_mismatch' };
          }
        }
      }
      // batches never closed
      for (const item of t.open) if (item.fate.kind === 'ok') item.fate = { kind: 'missing', cause: 'cutoff', fault: 'not_closed' };
      if (miss) { // acquirer lines the terminal never logged (log lost on reinstall)
        for (let k = r.int(3, 6); k > 0; k--) {
          const date = r.pick(this.dates); const ms = this.at(date, r.int(10 * 60, 20 * 60));
          const fake = { row: { txnId: t.family === 'sunmi' ? undefined : `${t.terminalId}X${r.digits(8)}`, rrn: this.rrn(t, ms), cardRef: `${this.cards[r.int(0, this.cards.length - 1)].bin}******${r.digits(4)}` }, ms, amountC: Math.round(r.lognormal(t.merchant.mt.amt, 0.7) * 100), type: 'sale' };
          const sd = t.merchant.acq === 'A' ? date : addDays(date, 1);
          const line = this.settleLine(t, fake, sd, String(t.batch - 1).padStart(6, '0'), 'settled', fake.amountC, undefined, undefined, r);
          this.settle.push(line);
          this.truth.push({ txnId: line.txnId ?? null, rrn: line.rrn, terminalId: t.terminalId, outcome: 'orphan_settlement', cause: 'reconciliation', fault: 'recon_missing', reason: 'orphan', at: isoOffset(ms, this.tz) });
        }
      }
    }
    this.settle.sort((a, b) => (a.settlementDate < b.settlementDate ? -1 : a.settlementDate > b.settlementDate ? 1 : a.terminalId < b.terminalId ? -1 : a.terminalId > b.terminalId ? 1 : a.rrn < b.rrn ? -1 : 1));
  }

  settleLine(t, item, settleDate, batchId, status, amountC, reasonCode, message, r) {
    const a = t.merchant.acq === 'A';
    const line = {};
    if (a && item.row.txnId) line.txnId = item.row.txnId;
    line.rrn = item.row.rrn;
    line.terminalId = t.terminalId;
    line.merchantId = t.merchant.id;
    line.settlementDate = settleDate;
    line.batchId = batchId;
    line.amount = fmtAmount(amountC);
    line.currency = this.cfg.currency;
    line.status = status;
    if (reasonCode) line.reasonCode = reasonCode;
    if (message) line.message = message;
    line.txnType = item.type;
    const fee = item.type === 'refund' ? 0 : Math.round(amountC * (a ? 0.0038 : 0.006));
    line.fee = fmtAmount(fee);
    line.netAmount = fmtAmount(amountC - fee);
    if (a && item.row.cardRef) line.cardRef = item.row.cardRef.startsWith('tk_') ? item.row.cardRef : `${item.row.cardRef.replace(/\s/g, '').slice(0, 6)}******${item.row.cardRef.slice(-4)}`;
    return line;
  }

  // truth for approved money-moving records: apply formats.md's definition to the lines we wrote
  settlementTruth() {
    const byKey = new Map();
    for (const l of this.settle) { const k = l.rrn; if (!byKey.has(k)) byKey.set(k, []); byKey.get(k).push(l); }
    for (const t of this.terminals) {
      const items = [...t.closed.flatMap((b) => b.recs), ...t.open];
      for (const item of items) {
        const lines = byKey.get(item.row.rrn) || [];
        const txnDate = localDate(item.ms, this.tz);
        const deadline = addDays(txnDate, 1);
        const settledInTime = lines.filter((l) => l.status === 'settled' && l.settlementDate <= deadline);
        const bad = lines.find((l) => ['failed', 'rejected', 'held'].includes(l.status));
        let outcome = null;
        if (bad) outcome = bad.status === 'held' ? 'unsettled' : 'settlement_failed'; // a hold is not a failure, the money is just not paid out
        else if (!settledInTime.length) outcome = 'unsettled';
        else if (settledInTime.some((l) => Math.round(Number(l.amount) * 100) !== item.amountC)) outcome = 'amount_mismatch';
        else if (settledInTime.length > 1) outcome = 'duplicate';
        const f = item.fate;
        if (!outcome) { if (f.kind !== 'ok') throw new Error(`fate ${f.kind} but settled fine: ${item.row.txnId}`); continue; }
        if (f.kind === 'ok') throw new Error(`unsettled without a reason: ${item.row.txnId} ${outcome}`);
        this.truth.push({ txnId: item.row.txnId, rrn: item.row.rrn, terminalId: t.terminalId, outcome, cause: f.cause, fault: f.fault, reason: f.kind, at: isoOffset(item.ms, this.tz) });
      }
    }
  }

  run() {
    this.notes = [];
    this.buildFleet();
    this.planFaults();
    this.planDecoys();
    this.planOutage();
    for (const t of this.terminals) this.simulateTerminal(t);
    this.buildSettlement();
    this.settlementTruth();
  }

  truthJson() {
    const cnt = new Map();
    for (const row of this.truth) if (row.fault && row.fault !== 'bg' && row.fault !== 'outage') cnt.set(`${row.terminalId}|${row.fault}`, (cnt.get(`${row.terminalId}|${row.fault}`) || 0) + 1);
    const terminals = this.terminals.map((t) => {
      const rootCauses = t.faults.map((f) => {
        const n = cnt.get(`${t.terminalId}|${f.kind}`) || 0;
        return { cause: f.cause, fault: f.kind, findings: n, weak: n < 5, windows: f.windows.map((w) => ({ start: isoOffset(w.start, this.tz), end: isoOffset(w.end, this.tz) })) };
      });
      return { terminalId: t.terminalId, merchantId: t.merchant.id, merchantType: t.merchant.type, acquirer: t.merchant.acq, model: t.model, family: t.family, connection: t.connection, profile: t.profile, lang: t.lang, textMode: t.textMode, tsStyle: t.tsStyle, faulty: rootCauses.length > 0, rootCauses, decoys: t.decoys };
    });
    const incidents = [];
    if (this.outage) incidents.push({ start: isoOffset(this.outage.start, this.tz), end: isoOffset(this.outage.end, this.tz), cause: 'issuer_platform', acquirer: this.outage.acq, terminals: [...this.outage.terminals].sort(), failures: this.outage.failures });
    return { generator: 'fleet3', scenario: this.cfg.scenario, seed: this.cfg.seed, tz: this.tz, currency: this.cfg.currency, start: this.cfg.start, days: this.cfg.days, settlementGraceDays: 1, terminals, incidents, notes: this.notes };
  }
}

export function generate(opts) {
  const base = SCENARIOS[opts.scenario];
  if (!base) throw new Error(`unknown scenario ${opts.scenario}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  const cfg = { tz: 'Asia/Shanghai', currency: base.region === 'eu' ? 'EUR' : 'CNY', start: '2024-05-06', ...base, scenario: opts.scenario, seed: Number(opts.seed ?? 1) };
  for (const k of ['terminals', 'days']) if (opts[k] !== undefined) cfg[k] = Number(opts[k]);
  for (const k of ['tz', 'format', 'start']) if (opts[k] !== undefined) cfg[k] = opts[k];
  const g = new Gen(cfg);
  g.run();
  const out = opts.out;
  fs.rmSync(out, { recursive: true, force: true });
  const ext = cfg.format;
  const txnRows = g.txns.sort((a, b) => a.ms - b.ms).map((x) => x.row);
  const evRows = g.events.sort((a, b) => a.ms - b.ms).map((x) => x.row);
  if (cfg.eventsInLog) {
    const merged = [...g.txns, ...g.events].sort((a, b) => a.ms - b.ms).map((x) => x.row);
    writeFile(path.join(out, `terminal-log.${ext}`), serialize(merged, ext));
  } else {
    writeFile(path.join(out, `terminal-log.${ext}`), serialize(txnRows, ext));
    writeFile(path.join(out, `device-events.${ext}`), serialize(evRows, ext));
  }
  const sfile = path.join(out, `settlement.${ext}${cfg.gzipSettlement ? '.gz' : ''}`);
  writeFile(sfile, serialize(g.settle, ext), cfg.gzipSettlement);
  const ids = new Set();
  for (const r of txnRows) { if (ids.has(r.txnId)) throw new Error(`txnId ${r.txnId} used twice`); ids.add(r.txnId); }
  const truthRows = g.truth.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  writeFile(path.join(out, 'truth', 'truth.ndjson'), serialize(truthRows, 'ndjson'));
  writeFile(path.join(out, 'truth', 'truth.json'), JSON.stringify(g.truthJson(), null, 2) + '\n');
  writeFile(path.join(out, 'truth', 'nonfindings.ndjson'), serialize(g.aux, 'ndjson'));
  // guard: no full card number may leave the generator
  for (const f of fs.readdirSync(out)) {
    const p = path.join(out, f);
    if (fs.statSync(p).isFile() && !p.endsWith('.gz')) {
      const text = fs.readFileSync(p, 'utf8');
      const m = text.match(/(?<![0-9])(?=[0-9]{13,19}(?![0-9]))(?:62|4|5|35|37|67|2)[0-9]+/);
      if (m) throw new Error(`card-shaped digit run ${m[0]} in ${f}`);
    }
  }
  return { cfg, counts: { attempts: txnRows.length, events: evRows.length, settlement: g.settle.length, truth: truthRows.length, faulty: g.terminals.filter((t) => t.faults.length).length } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const a = parseArgs(process.argv.slice(2), {});
  if (!a.out || !a.scenario) {
    console.error(`usage: generate.mjs --out DIR --seed N --scenario ${Object.keys(SCENARIOS).join('|')} [--terminals N --days N --tz ZONE --format ndjson|csv|json --start YYYY-MM-DD]`);
    process.exit(2);
  }
  const res = generate(a);
  console.log(`${a.scenario} seed ${res.cfg.seed}: ${JSON.stringify(res.counts)} -> ${a.out} (tz ${res.cfg.tz})`);
}
