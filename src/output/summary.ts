import { int, type Lang } from './fmt.js';
import { kindLabel, punct, t } from './i18n.js';
import type { AnalysisResult, RenderOptions } from './types.js';
import { buildView, type ReportView, type SectionId } from './view.js';
export const SUMMARY_TERMINALS = 20;
export const SUMMARY_ACTION = 10;

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';
const SGR: Record<Style, string> = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33' };

/**
 * Input text goes to a terminal: control characters (ANSI escapes among them) and bidi overrides could
 * rewrite the screen or reorder what is shown, so they become U+FFFD.
 */
export function sanitizeForTerminal(text: string): string {
  return text.replace(/[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '\uFFFD');
}

/** Terminal columns: East Asian wide and full-width characters take two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x300 && cp <= 0x36f) continue;
    w +=
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x1f300 && cp <= 0x1faff) ||
      (cp >= 0x20000 && cp <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

function clip(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = displayWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

interface Cell {
  text: string;
  style?: Style;
  align?: 'l' | 'r';
}

export function renderSummary(result: AnalysisResult, options: RenderOptions & { color: boolean }): string {
  return renderSummaryView(buildView(result, options.lang), options.color);
}

/** The stdout summary: the view's sections in the same order as report.html and report.md, shortened. */
export function renderSummaryView(v: ReportView, color: boolean): string {
  const { lang } = v;
  const p = punct(lang);
  const paint = (text: string, style?: Style): string => (color && style && text ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text);
  const safe = (text: string | null | undefined, width = 28): string => clip(sanitizeForTerminal(text ?? '—'), width);

  // Pads on the plain text, then paints, so escape codes never count towards column widths.
  const grid = (rows: Cell[][], indent = '  '): string[] => {
    const widths: number[] = [];
    for (const row of rows) row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c.text))));
    return rows.map(
      (row) =>
        indent +
        row
          .map((c, i) => {
            const pad = ' '.repeat(widths[i] - displayWidth(c.text));
            const last = i === row.length - 1;
            return c.align === 'r' ? pad + paint(c.text, c.style) : paint(c.text, c.style) + (last ? '' : pad);
          })
          .join('  ')
          .trimEnd(),
    );
  };
  const head = (keys: string[], right: number[] = []): Cell[] => keys.map((k, i) => ({ text: k, style: 'dim', align: right.includes(i) ? 'r' : 'l' }));
  const n = (value: number, style?: Style): Cell => ({ text: int(value), align: 'r', style });
  const where = (title: string): string => paint(t(lang, 'whereSection', { section: title }), 'dim');

  const SECTIONS: Record<SectionId, (title: string) => string[]> = {
    key: (title) => [
      paint(title, 'bold'),
      ...v.key.map((k) => `  ${k.label}${p.colon}${paint(safe(k.values.join(p.semi), 80), k.alert ? 'red' : 'bold')}${k.note ? paint(`${p.open}${safe(k.note, 80)}${p.close}`, 'dim') : ''}`),
    ],
    action: (title) => {
      const a = v.action;
      if (!a.rows.length) return [paint(`${title}${p.colon}${a.none}`, 'green'), ...(a.insufficient ? [paint(a.insufficient.text, 'dim')] : [])];
      const shown = a.rows.slice(0, SUMMARY_ACTION);
      const out = [paint(`${title}${p.open}${t(lang, 'summaryAction', { shown: shown.length, total: int(a.rows.length) })}${p.close}`, 'bold')];
      for (const r of shown) {
        out.push(`  ${r.rank}. ${paint(safe(r.terminalId, 40), 'bold')}${r.merchantId ? ` · ${safe(r.merchantId, 30)}` : ''} · ${safe(r.line, 120)} · ${t(lang, 'atStake')} ${safe(r.atStakeText, 60)}${r.first ? ` ${paint(`← ${t(lang, 'firstToAct')}`, 'yellow')}` : ''}`);
        for (const rc of r.causes) {
          out.push(`     ${paint(safe(rc.shortLabel, 40), 'red')}${p.colon}${safe(rc.figures, 160)}${p.semi}${rc.significance}`);
          out.push(`       ${t(lang, 'whoActs')}${p.colon}${safe(rc.whoActs, 40)}${rc.window ? ` · ${safe(rc.window, 60)}` : ''}`);
          out.push(paint(`       ${t(lang, 'exact')}${p.colon}${safe(rc.exact, 160)}`, 'dim'));
        }
      }
      if (a.rows.length > shown.length) out.push(paint(t(lang, 'moreIn', { n: int(a.rows.length - shown.length), where: t(lang, 'whereAction') }), 'dim'));
      if (a.insufficient) out.push(paint(t(lang, 'summaryInsufficient', { n: int(a.insufficient.ids.shown.length + a.insufficient.ids.more) }), 'dim'));
      return out;
    },
    incidents: (title) => {
      const i = v.incidents;
      if (!i.items.length) return [`${title}${p.colon}${i.none}`];
      return [
        paint(`${title}${p.colon}${int(i.items.length)}`, 'yellow'),
        ...i.items.map((x) => `  ${safe(x.id, 12)} ${safe(x.window, 40)} · ${safe(x.causes, 60)} · ${x.touched} · ${t(lang, 'failures')} ${int(x.failures)} · ${x.rate}`),
        paint(v.action.incidentNote ?? '', 'dim'),
      ];
    },
    changes: (title) => {
      const c = v.changes!;
      const out = [paint(title, 'bold'), `  ${safe(c.baseline, 200)}`];
      if (c.none) out.push(`  ${t(lang, 'changesNone')}`);
      const more = (total: number): void => {
        if (total > SUMMARY_ACTION) out.push(paint(`    ${t(lang, 'more', { n: int(total - SUMMARY_ACTION) })}`, 'dim'));
      };
      for (const r of c.rose.slice(0, SUMMARY_ACTION)) out.push(`  ${safe(r.terminalId, 40)} ${r.before} → ${paint(r.after, 'red')} · ${t(lang, 'qValue')} ${r.q}`);
      more(c.rose.length);
      for (const r of c.newRootCauses.slice(0, SUMMARY_ACTION)) out.push(`  + ${safe(r.terminalId, 40)} ${safe(r.label, 40)}`);
      more(c.newRootCauses.length);
      for (const r of c.resolvedRootCauses.slice(0, SUMMARY_ACTION)) out.push(paint(`  − ${safe(r.terminalId, 40)} ${safe(r.label, 40)}`, 'green'));
      more(c.resolvedRootCauses.length);
      if (c.newTerminals.total) out.push(`  ${t(lang, 'newTerminals')}${p.colon}${int(c.newTerminals.total)}`);
      if (c.missingTerminals.total) out.push(`  ${t(lang, 'missingTerminals')}${p.colon}${int(c.missingTerminals.total)}`);
      return out;
    },
    details: (title) => [`${paint(title, 'bold')}${p.colon}${where(title)}`],
    charts: (title) => {
      const b = v.charts.busiestHour;
      return [
        paint(title, 'bold'),
        ...(b ? [`  ${t(lang, 'busiestHour', { hour: b.hour, rate: b.rate, failures: int(b.failures), attempts: int(b.attempts) })}`] : []),
        paint(`  ${t(lang, 'chartsPointer')}`, 'dim'),
      ];
    },
    terminals: (title) => {
      const rows = v.terminals.rows;
      if (!rows.length) return [`${title}${p.colon}—`];
      const shown = rows.slice(0, SUMMARY_TERMINALS);
      const out = [paint(`${title}${p.open}${t(lang, 'summaryTerminals', { shown: shown.length, total: int(v.terminals.total) })}${p.close}`, 'bold')];
      out.push(
        ...grid([
          head([t(lang, 'terminal'), t(lang, 'merchant'), t(lang, 'attempts'), t(lang, 'failures'), t(lang, 'failureRate'), t(lang, 'ci95'), t(lang, 'unsettled'), t(lang, 'topCauses')], [2, 3, 4, 5, 6]),
          ...shown.map((x): Cell[] => [
            { text: safe(x.terminalId) },
            { text: safe(x.merchantId, 24) },
            n(x.attempts),
            n(x.failures),
            { text: x.rateText, align: 'r', style: x.hot ? 'red' : undefined },
            { text: x.ci, align: 'r', style: 'dim' },
            n(x.unsettled, x.unsettled > 0 ? 'yellow' : undefined),
            { text: safe(x.topCauses, 50) },
          ]),
        ]),
      );
      if (v.terminals.total > shown.length) out.push(paint(t(lang, 'summaryMore', { n: int(v.terminals.total - shown.length) }), 'dim'));
      return out;
    },
    causes: (title) => {
      const c = v.causes;
      if (!c.rows.length) return [`${title}${p.colon}${t(lang, 'noFailures')}`];
      return [
        paint(`${title}${p.open}${t(lang, 'findings')} ${int(c.findings)}${p.colon}${c.split}${p.close}`, 'bold'),
        ...grid(c.rows.map((r): Cell[] => [{ text: safe(r.id, 24) }, { text: safe(r.shortLabel, 40) }, n(r.count), { text: r.share, align: 'r' }])),
      ];
    },
    groupings: (title) => {
      const g = v.groupings!;
      const out = [`${paint(title, 'bold')}${p.colon}${g.flagged.length ? t(lang, 'groupsFlaggedCount', { n: int(g.flagged.length) }) : t(lang, 'groupingsNone')}`];
      for (const f of g.flagged.slice(0, 5)) out.push(`  ${safe(f.value, 30)} · ${safe(f.label, 40)} ${f.rate}${p.comma}${t(lang, 'restRate')} ${f.restRate}${p.open}${f.ratio}${p.close}`);
      if (g.flagged.length) out.push(`  ${where(title)}`);
      return out;
    },
    cards: (title) => [`${paint(title, 'bold')}${p.colon}${t(lang, 'cardsCount', { n: int(v.cards!.length) })} ${where(title)}`],
    inputs: (title) => {
      const i = v.inputs;
      const { read, accepted, rejected } = i.totals;
      const skips = i.totals.skipped > 0;
      const out = [`${paint(title, 'bold')}${p.colon}${t(lang, 'summaryInputs', { files: i.files.length, read: int(read), accepted: int(accepted), rejected: int(rejected), skipped: i.skippedTerm })} ${i.balanced ? paint('✓', 'green') : paint('✗', 'red')}`];
      if (i.files.length) {
        out.push(
          ...grid([
            head([t(lang, 'path'), t(lang, 'kind'), t(lang, 'format'), t(lang, 'read'), t(lang, 'accepted'), t(lang, 'rejected'), ...(skips ? [t(lang, 'skipped')] : [])], skips ? [3, 4, 5, 6] : [3, 4, 5]),
            ...i.files.map((f): Cell[] => [{ text: safe(f.path, 60) }, { text: safe(kindLabel(f.kind, lang)) }, { text: safe(f.format) }, n(f.read), n(f.accepted), n(f.rejected, f.rejected > 0 ? 'yellow' : undefined), ...(skips ? [n(f.skipped)] : [])]),
          ]),
        );
      }
      if (!i.balanced) out.push(paint(i.accounting, 'red'));
      if (i.rejectsNote) out.push(paint(i.rejectsNote, 'dim'));
      if (!i.settlement || i.settlement === t(lang, 'settlementMissing')) out.push(paint(t(lang, 'settlementMissing'), 'dim'));
      return out;
    },
    examples: (title) => [`${paint(title, 'bold')}${p.colon}${paint(t(lang, 'examplesPointer'), 'dim')}`],
  };

  const lines = [paint(t(lang, 'summaryHeader', { tool: v.meta.toolName, version: safe(v.meta.version), at: safe(v.meta.generatedAt, 40), tz: safe(v.meta.tz, 40) }), 'bold')];
  for (const s of v.sections) lines.push('', ...SECTIONS[s.id](s.title));
  return `${lines.join('\n')}\n`;
}
