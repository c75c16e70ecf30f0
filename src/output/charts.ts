import type { CauseId } from '../../rules/causes.js';
import type { TerminalReport } from '../model.js';
import { int, isCauseId, pct, share, shortLabelOf, shortTime, truncate, type Lang } from './fmt.js';
import { t } from './i18n.js';
import { html, n1, trusted, type Markup } from './markup.js';
import type { ChartData, HeatMap } from './view.js';

// Inline SVG charts as strings: no script, no external resources, same bytes for the same report.
// Sizes are in viewBox units; CSS scales the SVG to the page width.

const W = 960;
const NEUTRAL = '#9aa0a6';
const OTHER_COLOR = '#d0d4d9';

/**
 * One fixed colour per cause (Tableau 20 without its greys), so a cause looks the same in every chart and
 * every report. Typed by CauseId: a new cause does not compile until it has a colour.
 */
const CAUSE_COLORS: Record<CauseId, string> = {
  network: '#4e79a7',
  issuer_decline: '#f28e2b',
  cardholder_account: '#59a14f',
  card: '#b6992d',
  input_error: '#499894',
  terminal_hardware: '#e15759',
  terminal_software: '#d37295',
  configuration: '#b07aa1',
  issuer_platform: '#9d7660',
  limits: '#f1ce63',
  fraud: '#ff9d9a',
  merchant_risk: '#d4a6c8',
  merchant_account: '#86bcb6',
  transaction_data: '#fabfd2',
  compliance: '#d7b5a6',
  reconciliation: '#a0cbe8',
  cutoff: '#ffbe7d',
  environment: '#8cd17d',
  unknown: NEUTRAL,
};

export function causeColor(id: string): string {
  return isCauseId(id) ? CAUSE_COLORS[id] : NEUTRAL;
}

/** A round axis maximum (1, 2, 2.5 or 5 times a power of ten) at or above `max`. */
function niceMax(max: number, ticks = 4): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

/** Axis labels: "10%" rather than "10.0%" when the tick is a whole percentage. */
function tickPct(rate: number): string {
  const p = Math.round(rate * 1e6) / 1e4;
  return Number.isInteger(p) ? `${p}%` : pct(rate);
}

function tickValues(top: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; i * step <= top + step * 1e-9; i++) out.push(i * step);
  return out;
}

function empty(lang: Lang): Markup {
  return html`<p class="nodata">${t(lang, 'noData')}</p>`;
}

function svg(height: number, label: string, body: Markup[]): Markup {
  return html`<svg class="chart" viewBox="0 0 ${W} ${n1(height)}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}

export const TERMINAL_CHART_ROWS = 30;

export function terminalRateChart(data: ChartData, lang: Lang): Markup {
  const rows = data.rateRows.slice(0, TERMINAL_CHART_ROWS);
  if (!rows.length) return empty(lang);
  const fleet = data.fleet;
  const labelW = 230;
  const valueW = 170;
  const top = 28;
  const rowH = 22;
  const plotW = W - labelW - valueW;
  const height = top + rows.length * rowH + 8;
  const { top: maxRate, step } = niceMax(Math.min(1, Math.max(fleet.high, ...rows.map((r) => r.failureRate.high))));
  const x = (rate: number): number => labelW + (Math.max(0, Math.min(rate, maxRate)) / maxRate) * plotW;

  const grid = tickValues(maxRate, step).map(
    (v) => html`<line class="grid" x1="${n1(x(v))}" x2="${n1(x(v))}" y1="${top - 6}" y2="${n1(height - 8)}"/><text class="tick" x="${n1(x(v))}" y="${top - 10}" text-anchor="middle">${tickPct(v)}</text>`,
  );
  const bars = rows.map((r: TerminalReport, i) => {
    const y = top + i * rowH;
    const mid = y + rowH / 2;
    const tip = `${r.terminalId}${r.merchantId ? ` · ${r.merchantId}` : ''} · ${pct(r.failureRate.rate)} (95% CI ${pct(r.failureRate.low)}–${pct(r.failureRate.high)}) · ${int(r.failures)}/${int(r.attempts)}`;
    return html`<g><title>${tip}</title><text class="label" x="${labelW - 8}" y="${n1(mid + 4)}" text-anchor="end">${truncate(r.terminalId, 28)}</text><rect class="bar${r.failureRate.low > fleet.rate ? ' hot' : ''}" x="${labelW}" y="${n1(y + 5)}" width="${n1(x(r.failureRate.rate) - labelW)}" height="${rowH - 10}"/><path class="whisker" d="M${n1(x(r.failureRate.low))} ${n1(mid)}H${n1(x(r.failureRate.high))}M${n1(x(r.failureRate.low))} ${n1(mid - 4)}v8M${n1(x(r.failureRate.high))} ${n1(mid - 4)}v8"/><text class="value" x="${W - valueW + 8}" y="${n1(mid + 4)}">${pct(r.failureRate.rate)} · ${int(r.failures)}/${int(r.attempts)}</text></g>`;
  });
  const fx = x(fleet.rate);
  const fleetMark = html`<line class="fleet" x1="${n1(fx)}" x2="${n1(fx)}" y1="${top - 4}" y2="${n1(height - 4)}"/><text class="tick fleet-label" x="${n1(fx + 4)}" y="${n1(height - 1)}">${t(lang, 'fleetLine', { rate: pct(fleet.rate) })}</text>`;
  return svg(height + 8, t(lang, 'chartTerminals', { n: rows.length }), [...grid, ...bars, fleetMark]);
}

export function causeChart(data: ChartData, lang: Lang): Markup {
  const rows = data.causes;
  if (!rows.length) return empty(lang);
  const total = rows.reduce((s, r) => s + r.count, 0);
  const labelW = 250;
  const valueW = 140;
  const top = 8;
  const rowH = 24;
  const plotW = W - labelW - valueW;
  const height = top + rows.length * rowH + 8;
  const max = rows[0].count;
  const bars = rows.map((r, i) => {
    const y = top + i * rowH;
    const label = shortLabelOf(r.id, lang);
    return html`<g><title>${r.id} · ${label} · ${int(r.count)} (${share(r.count, total)})</title><text class="label" x="${labelW - 8}" y="${n1(y + rowH / 2 + 4)}" text-anchor="end">${truncate(label, 36)}</text><rect x="${labelW}" y="${n1(y + 4)}" width="${n1(Math.max(1, (r.count / max) * plotW))}" height="${rowH - 8}" fill="${causeColor(r.id)}"/><text class="value" x="${n1(labelW + (r.count / max) * plotW + 6)}" y="${n1(y + rowH / 2 + 4)}">${int(r.count)} (${share(r.count, total)})</text></g>`;
  });
  return svg(height, t(lang, 'chartCauses'), bars);
}

/** Beyond this many slots, neighbouring buckets are merged so the SVG stays small and bars stay visible. */
const MAX_SLOTS = 360;
const STACKED = 6;

interface Slot {
  k: number;
  t: number;
  label: string;
  attempts: number;
  failures: number;
  byCause: Map<string, number>;
}

export function timelineChart(data: ChartData, lang: Lang): Markup {
  const buckets = data.timeline
    .map((b) => ({ t: Date.parse(b.start), b }))
    .filter((x) => Number.isFinite(x.t))
    .sort((a, b) => a.t - b.t);
  if (!buckets.length) return empty(lang);
  const bucketMs = Math.max(1, data.bucketMinutes) * 60_000;
  const t0 = buckets[0].t;
  const span = buckets[buckets.length - 1].t + bucketMs - t0;
  // Positions come from the bucket times, not their index, so a gap in the timeline shows as a gap.
  const slotMs = Math.max(1, Math.ceil(span / MAX_SLOTS / bucketMs)) * bucketMs;
  const slots = new Map<number, Slot>();
  for (const { t: ts, b } of buckets) {
    const k = Math.floor((ts - t0) / slotMs);
    let s = slots.get(k);
    if (!s) slots.set(k, (s = { k, t: t0 + k * slotMs, label: b.start, attempts: 0, failures: 0, byCause: new Map() }));
    s.attempts += b.attempts;
    s.failures += b.failures;
    for (const [id, n] of Object.entries(b.byCause)) s.byCause.set(id, (s.byCause.get(id) ?? 0) + n);
  }
  const ordered = [...slots.values()];

  const timelineTotals = new Map<string, number>();
  for (const s of ordered) for (const [id, n] of s.byCause) timelineTotals.set(id, (timelineTotals.get(id) ?? 0) + n);
  // Largest first, ties in the order the view's cause list gives (catalogue order).
  const causeRank = new Map(data.causes.map((c, i) => [c.id, i]));
  const series = [...timelineTotals.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (causeRank.get(a[0]) ?? 1e9) - (causeRank.get(b[0]) ?? 1e9) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, STACKED)
    .map(([id]) => id);
  const OTHER = '\u0000other';
  const stacks = ordered.map((s) => {
    const parts = series.map((id) => ({ id, n: s.byCause.get(id) ?? 0 }));
    const listed = parts.reduce((sum, p) => sum + p.n, 0);
    const rest = Math.max(0, s.failures - listed, [...s.byCause.values()].reduce((a, b) => a + b, 0) - listed);
    return [...parts, { id: OTHER, n: rest }].filter((p) => p.n > 0);
  });

  const left = 56;
  const right = 64;
  const legend = legendItems(
    [...series, ...(stacks.some((p) => p.some((x) => x.id === OTHER)) ? [OTHER] : [])].map((id) => ({
      label: id === OTHER ? t(lang, 'other') : truncate(shortLabelOf(id, lang), 30),
      color: id === OTHER ? OTHER_COLOR : causeColor(id),
    })),
    t(lang, 'attempts'),
    left,
    W - right,
  );
  // Incidents inside the plotted span, as shaded bands with their id and causes on a row above the plot.
  const tEnd = t0 + span;
  const incidents = data.incidents
    .map((inc) => ({ inc, s: Date.parse(inc.start), e: Date.parse(inc.end) }))
    .filter((b) => Number.isFinite(b.s) && Number.isFinite(b.e) && b.e >= b.s && b.e > t0 && b.s < tEnd)
    .sort((a, b) => a.s - b.s || (a.inc.id < b.inc.id ? -1 : a.inc.id > b.inc.id ? 1 : 0));
  const labelRows = incidents.length ? 2 : 0;
  const plotTop = legend.height + 10 + labelRows * 14;
  const plotH = 200;
  const height = plotTop + plotH + 34;
  const plotW = W - left - right;
  const fMax = niceMax(Math.max(...stacks.map((p) => p.reduce((sum, x) => sum + x.n, 0)), ...ordered.map((s) => s.failures)));
  const aMax = niceMax(Math.max(...ordered.map((s) => s.attempts)));
  const x = (ts: number): number => left + ((ts - t0) / span) * plotW;
  const yF = (v: number): number => plotTop + plotH - (v / fMax.top) * plotH;
  const yA = (v: number): number => plotTop + plotH - (v / aMax.top) * plotH;
  const slotW = (slotMs / span) * plotW;
  const barW = Math.max(0.5, slotW > 4 ? slotW - 1 : slotW);

  const axes = [
    ...tickValues(fMax.top, fMax.step).map(
      (v) => html`<line class="grid" x1="${left}" x2="${W - right}" y1="${n1(yF(v))}" y2="${n1(yF(v))}"/><text class="tick" x="${left - 6}" y="${n1(yF(v) + 4)}" text-anchor="end">${int(v)}</text>`,
    ),
    ...tickValues(aMax.top, aMax.step).map(
      (v) => html`<text class="tick attempts-tick" x="${W - right + 6}" y="${n1(yA(v) + 4)}">${int(v)}</text>`,
    ),
  ];
  const tickEvery = Math.max(1, Math.ceil(ordered.length / 6));
  const xTicks = ordered
    .filter((_, i) => i % tickEvery === 0)
    .map((s) => html`<text class="tick" x="${n1(x(s.t) + slotW / 2)}" y="${plotTop + plotH + 16}" text-anchor="middle">${shortTime(s.label)}</text>`);

  const bars = ordered.map((s, i) => {
    let base = 0;
    const rects = stacks[i].map((p) => {
      const y0 = yF(base);
      base += p.n;
      const y1 = yF(base);
      return html`<rect x="${n1(x(s.t))}" y="${n1(y1)}" width="${n1(barW)}" height="${n1(Math.max(0.5, y0 - y1))}" fill="${p.id === OTHER ? OTHER_COLOR : causeColor(p.id)}"/>`;
    });
    const tip = `${s.label} · ${t(lang, 'failures')} ${int(s.failures)} / ${t(lang, 'attempts')} ${int(s.attempts)}`;
    return html`<g><title>${tip}</title>${rects}</g>`;
  });
  // A missing bucket breaks the line rather than being drawn across.
  const line = ordered
    .map((s, i) => `${i && ordered[i - 1].k === s.k - 1 ? 'L' : 'M'}${n1(x(s.t) + slotW / 2)} ${n1(yA(s.attempts))}`)
    .join('');

  const lastEnd = [-Infinity, -Infinity];
  const bands = incidents.map(({ inc, s: bs, e: be }) => {
    const x0 = x(Math.max(t0, bs));
    const x1 = Math.max(x0 + 2, x(Math.min(tEnd, be)));
    const causes = inc.causes.map((c) => shortLabelOf(c, lang)).join(', ');
    const label = truncate(`${inc.id} ${causes}`, 40);
    // Two label rows: a label that would overlap the previous one on its row takes the other row.
    const row = x0 >= lastEnd[0] ? 0 : x0 >= lastEnd[1] ? 1 : lastEnd[0] <= lastEnd[1] ? 0 : 1;
    lastEnd[row] = x0 + textWidth(label) + 8;
    const ly = plotTop - 4 - (1 - row) * 14;
    // A label that would run off the right edge ends at the band instead of starting there.
    const anchorEnd = x0 + textWidth(label) > W - 4;
    const tip = `${inc.id} · ${inc.start} – ${inc.end} · ${causes} · ${t(lang, 'failures')} ${int(inc.failures)} · ${t(lang, 'terminalCount')} ${int(inc.terminals.length)}`;
    return html`<g class="incident-band"><title>${tip}</title><rect class="incident" x="${n1(x0)}" y="${plotTop}" width="${n1(x1 - x0)}" height="${plotH}"/><text class="incident-label" x="${n1(anchorEnd ? x1 : x0)}" y="${n1(ly)}"${anchorEnd ? trusted(' text-anchor="end"') : ''}>${label}</text></g>`;
  });

  return svg(height, `${t(lang, 'chartTimeline')}${incidents.length ? `; ${t(lang, 'chartIncidents')}` : ''}`, [
    ...bands,
    ...axes,
    ...bars,
    html`<path class="attempts" d="${line}"/>`,
    ...xTicks,
    legend.markup,
  ]);
}

/** Rough text width in viewBox units: CJK glyphs are about twice as wide as Latin ones at 12px. */
function textWidth(text: string): number {
  return Array.from(text).reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) >= 0x2e80 ? 12 : 6.5), 0);
}

/** Legend entries left to right, wrapping onto a new row at `maxX`; the attempts line comes last. */
function legendItems(items: { label: string; color: string }[], attemptsLabel: string, minX: number, maxX: number): { markup: Markup; height: number } {
  const parts: Markup[] = [];
  let lx = minX;
  let y = 10;
  const place = (width: number): void => {
    if (lx > minX && lx + width > maxX) {
      lx = minX;
      y += 18;
    }
  };
  for (const item of items) {
    const width = 16 + textWidth(item.label) + 14;
    place(width);
    parts.push(html`<rect x="${n1(lx)}" y="${y}" width="12" height="12" fill="${item.color}"/><text class="tick" x="${n1(lx + 16)}" y="${y + 10}">${item.label}</text>`);
    lx += width;
  }
  place(22 + textWidth(attemptsLabel));
  parts.push(html`<path class="attempts" d="M${n1(lx)} ${y + 6}h18"/><text class="tick" x="${n1(lx + 22)}" y="${y + 10}">${attemptsLabel}</text>`);
  return { markup: html`<g class="legend">${parts}</g>`, height: y + 14 };
}

/** Reds (ColorBrewer, 6 classes): a sequential scale that prints in greys in the right order. */
const HEAT = ['#fee5d9', '#fcbba1', '#fc9272', '#fb6a4a', '#de2d26', '#a50f15'];
const HEAT_NONE = '#f3f4f6';

function heatColor(failures: number, attempts: number, top: number): string {
  if (attempts === 0) return 'none';
  if (failures === 0) return HEAT_NONE;
  const k = Math.min(HEAT.length - 1, Math.floor(((failures / attempts) / top) * (HEAT.length - 1) + 1e-9));
  return HEAT[Math.max(0, k)];
}

/**
 * Terminal × local hour of day: a fleet incident shows as a column of dark cells across terminals, a
 * terminal's own fault as a row. Every cell carries its figures as a tooltip, the chart a text label.
 */
export function heatMapChart(heat: HeatMap, lang: Lang): Markup {
  if (!heat.rows.length) return empty(lang);
  const labelW = 150;
  const top = 22;
  const rowH = 18;
  const cellW = (W - labelW - 10) / 24;
  const plotH = heat.rows.length * rowH;
  const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
  const head = hours.map((h, i) => html`<text class="tick" x="${n1(labelW + i * cellW + cellW / 2)}" y="${top - 8}" text-anchor="middle">${h}</text>`);
  const rows = heat.rows.map((r, j) => {
    const y = top + j * rowH;
    const cells = r.cells.map((c, i) => {
      const fill = heatColor(c.failures, c.attempts, heat.top);
      const tip = t(lang, 'heatCell', { terminal: r.terminalId, hour: hours[i], failures: int(c.failures), attempts: int(c.attempts), rate: c.attempts ? pct(c.failures / c.attempts) : '–' });
      return html`<rect class="cell" x="${n1(labelW + i * cellW + 0.5)}" y="${n1(y + 0.5)}" width="${n1(cellW - 1)}" height="${rowH - 1}" fill="${fill}"><title>${tip}</title></rect>`;
    });
    return html`<g><text class="label" x="${labelW - 8}" y="${n1(y + rowH / 2 + 4)}" text-anchor="end">${truncate(r.terminalId, 20)}</text>${cells}</g>`;
  });
  // Legend: the colour steps with the rates they stand for.
  const ly = top + plotH + 14;
  const steps = HEAT.map((color, k) => {
    const x = labelW + k * 56;
    return html`<rect x="${n1(x)}" y="${ly}" width="54" height="12" fill="${color}"/>`;
  });
  const legend = html`<g class="legend"><rect x="${n1(labelW - 70)}" y="${ly}" width="12" height="12" fill="${HEAT_NONE}" stroke="#d0d7de"/><text class="tick" x="${n1(labelW - 54)}" y="${ly + 10}">${t(lang, 'heatLow')}</text>${steps}<text class="tick" x="${n1(labelW)}" y="${ly + 26}">${pct(0)}</text><text class="tick" x="${n1(labelW + HEAT.length * 56)}" y="${ly + 26}" text-anchor="end">${t(lang, 'heatHigh', { rate: pct(heat.top) })}</text></g>`;
  return svg(ly + 34, t(lang, 'heatMap'), [...head, ...rows, legend]);
}
