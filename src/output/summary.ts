import {
  aboveFleet,
  accountingBalanced,
  byFailures,
  causeCounts,
  int,
  interval,
  money,
  pct,
  share,
  moneys,
  needsAction,
  qv,
  shortLabelOf,
  shortTime,
} from './fmt.js';
import { incidentCauses, rootCauseFigures, rootCauseWindow, terminalLine } from './facts.js';
import { partiesLabel, t } from './i18n.js';
import type { AnalysisResult, RenderOptions } from './types.js';

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
  const { report } = result;
  const { lang, color } = options;
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
  const n = (v: number, style?: Style): Cell => ({ text: int(v), align: 'r', style });

  const lines: string[] = [];
  const s = report.summary;
  lines.push(
    paint(
      t(lang, 'summaryHeader', {
        tool: report.tool.name,
        version: safe(report.tool.version),
        at: safe(report.generatedAt, 40),
        tz: safe(report.options.tz, 40),
      }),
      'bold',
    ),
  );

  // Root causes first: what needs doing, then what happened fleet-wide, then what changed.
  const action = needsAction(report);
  lines.push('');
  if (action.length) {
    const shown = action.slice(0, SUMMARY_ACTION);
    lines.push(paint(t(lang, 'summaryAction', { shown: shown.length, total: int(action.length) }), 'bold'));
    shown.forEach((x, i) => {
      const failed = safe(moneys(x.failedAmount, '0'), 60);
      const amount =
        x.failedAmount.length === 0 && x.unsettledAmount.length === 0 ? '' : x.unsettledAmount.length > 0 ? ` · ${t(lang, 'summaryAmounts', { failed, unsettled: safe(moneys(x.unsettledAmount), 60) })}` : ` · ${failed}`;
      lines.push(`  ${i + 1}. ${paint(safe(x.terminalId, 40), 'bold')}${x.merchantId ? ` · ${safe(x.merchantId, 30)}` : ''} · ${terminalLine(x, lang)}${amount}`);
      for (const rc of x.rootCauses) {
        const win = rootCauseWindow(rc, lang);
        lines.push(
          `     ${paint(safe(shortLabelOf(rc.cause, lang), 40), 'red')} ${rootCauseFigures(rc, lang)} · ${t(lang, 'qValue')} ${qv(rc.qValue)}${win ? ` · ${safe(win, 60)}` : ''} · ${t(lang, 'whoActs')} ${safe(partiesLabel(rc.whoActs, lang), 40)}`,
        );
      }
    });
    if (action.length > shown.length) lines.push(paint(t(lang, 'more', { n: int(action.length - shown.length) }), 'dim'));
  } else lines.push(paint(t(lang, 'summaryActionNone'), 'green'));
  const thin = report.terminals.filter((x) => x.assessment === 'insufficient_data').length;
  if (thin) lines.push(paint(t(lang, 'summaryInsufficient', { n: int(thin) }), 'dim'));

  lines.push('');
  if (report.incidents.length) {
    lines.push(paint(t(lang, 'summaryIncidents', { n: report.incidents.length }), 'yellow'));
    for (const inc of report.incidents) {
      lines.push(
        `  ${t(lang, 'summaryIncidentLine', {
          id: safe(inc.id, 12),
          start: safe(shortTime(inc.start), 30),
          end: safe(shortTime(inc.end), 30),
          causes: safe(incidentCauses(inc, lang), 60),
          terminals: int(inc.terminals.length),
          failures: int(inc.failures),
          rate: pct(inc.rate),
          baseline: pct(inc.baselineRate),
        })}`,
      );
    }
    lines.push(paint(t(lang, 'actionIncidentNote'), 'dim'));
  } else lines.push(t(lang, 'summaryNoIncidents'));

  const c = report.changes;
  if (c) {
    lines.push('');
    lines.push(
      t(lang, 'summaryChanges', {
        at: safe(c.baseline.generatedAt, 40),
        rose: int(c.rose.length),
        added: int(c.newRootCauses.length),
        resolved: int(c.resolvedRootCauses.length),
        newTerminals: int(c.newTerminals.length),
        missing: int(c.missingTerminals.length),
      }),
    );
    const more = (total: number): void => {
      if (total > SUMMARY_ACTION) lines.push(paint(`    ${t(lang, 'more', { n: int(total - SUMMARY_ACTION) })}`, 'dim'));
    };
    for (const r of c.rose.slice(0, SUMMARY_ACTION)) {
      lines.push(`  ${safe(r.terminalId, 40)} ${pct(r.before)} → ${paint(pct(r.after), 'red')} · ${t(lang, 'qValue')} ${qv(r.qValue)}`);
    }
    more(c.rose.length);
    for (const r of c.newRootCauses.slice(0, SUMMARY_ACTION)) lines.push(`  + ${safe(r.terminalId, 40)} ${safe(shortLabelOf(r.cause, lang), 40)}`);
    more(c.newRootCauses.length);
    for (const r of c.resolvedRootCauses.slice(0, SUMMARY_ACTION)) lines.push(paint(`  − ${safe(r.terminalId, 40)} ${safe(shortLabelOf(r.cause, lang), 40)}`, 'green'));
    more(c.resolvedRootCauses.length);
  }

  lines.push('');
  const { read, accepted, rejected } = report.totals;
  const ok = accountingBalanced(read, accepted, rejected) && report.inputs.every((i) => accountingBalanced(i.read, i.accepted, i.rejected));
  const vars = { read: int(read), accepted: int(accepted), rejected: int(rejected) };
  lines.push(`${t(lang, 'summaryInputs', { files: report.inputs.length, ...vars })} ${ok ? paint('✓', 'green') : paint('✗', 'red')}`);
  if (report.inputs.length) {
    lines.push(
      ...grid([
        head([t(lang, 'path'), t(lang, 'kind'), t(lang, 'format'), t(lang, 'read'), t(lang, 'accepted'), t(lang, 'rejected')], [3, 4, 5]),
        ...report.inputs.map((i): Cell[] => [
          { text: safe(i.path, 60) },
          { text: safe(i.kind) },
          { text: safe(i.format) },
          n(i.read),
          n(i.accepted),
          n(i.rejected, i.rejected > 0 ? 'yellow' : undefined),
        ]),
      ]),
    );
  }
  if (!ok) lines.push(paint(t(lang, 'accountingBad', vars), 'red'));
  if (rejected > 0) lines.push(paint(t(lang, 'rejectsNote'), 'dim'));

  lines.push('');
  lines.push(
    t(lang, 'summaryFleet', {
      terminals: int(s.terminals),
      attempts: int(s.attempts),
      failures: paint(int(s.failures), 'bold'),
      rate: paint(pct(s.failureRate.rate), 'bold'),
      ci: interval(s.failureRate),
      unsettled: int(s.unsettled),
      amount: safe(moneys(s.unsettledAmount, '0'), 80),
    }),
  );
  if (!s.settlement.provided) lines.push(paint(t(lang, 'settlementMissing'), 'dim'));

  const causes = causeCounts(s.byCause);
  if (causes.length) {
    const total = causes.reduce((sum, c) => sum + c.count, 0);
    lines.push('');
    lines.push(
      paint(
        t(lang, 'summaryCauses', {
          findings: int(s.findings),
          split: t(lang, 'findingsSplit', { classified: int(s.classified), unknown: int(s.unknown) }),
        }),
        'bold',
      ),
    );
    lines.push(
      ...grid(
        causes.map((c): Cell[] => [
          { text: safe(c.id, 24) },
          { text: safe(shortLabelOf(c.id, lang), 40) },
          n(c.count),
          { text: share(c.count, total), align: 'r' },
        ]),
      ),
    );
  }

  const sorted = byFailures(report.terminals);
  if (sorted.length) {
    const shown = sorted.slice(0, SUMMARY_TERMINALS);
    lines.push('');
    lines.push(paint(t(lang, 'summaryTerminals', { shown: shown.length, total: int(sorted.length) }), 'bold'));
    lines.push(
      ...grid([
        head(
          [t(lang, 'terminal'), t(lang, 'merchant'), t(lang, 'attempts'), t(lang, 'failures'), t(lang, 'failureRate'), t(lang, 'ci95'), t(lang, 'unsettled'), t(lang, 'topCause')],
          [2, 3, 4, 5, 6],
        ),
        ...shown.map((x): Cell[] => {
          const top = causeCounts(x.byCause)[0];
          return [
            { text: safe(x.terminalId) },
            { text: safe(x.merchantId, 24) },
            n(x.attempts),
            n(x.failures),
            { text: pct(x.failureRate.rate), align: 'r', style: aboveFleet(x, s.failureRate) ? 'red' : undefined },
            { text: interval(x.failureRate), align: 'r', style: 'dim' },
            n(x.unsettled, x.unsettled > 0 ? 'yellow' : undefined),
            { text: top ? `${safe(shortLabelOf(top.id, lang), 24)} ${int(top.count)}` : '—' },
          ];
        }),
      ]),
    );
    if (sorted.length > shown.length) lines.push(paint(t(lang, 'summaryMore', { n: int(sorted.length - shown.length) }), 'dim'));
  }

  return `${lines.join('\n')}\n`;
}
