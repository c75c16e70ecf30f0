import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { csvOutput } from './csv.js';
import { findingsOutput } from './findings.js';
import { htmlOutput } from './html.js';
import { jsonOutput } from './json.js';
import { markdownOutput } from './markdown.js';
import type { AnalysisResult, OutputFormat, RenderOptions } from './types.js';

export type { AnalysisResult, OutputFormat, RenderOptions } from './types.js';
export { renderSummary } from './summary.js';

/** Every output `analyze` writes; adding a format is one file plus one line here. */
export const OUTPUTS: readonly OutputFormat[] = [jsonOutput, findingsOutput, csvOutput, markdownOutput, htmlOutput];

/** Chunks are coalesced so a million short lines are not a million write calls. */
const FLUSH_AT = 1 << 20;

async function writeFileSynced(path: string, pieces: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    for (const piece of pieces) {
      pending.push(piece);
      size += piece.length;
      if (size >= FLUSH_AT) {
        await file.write(pending.join(''));
        pending = [];
        size = 0;
      }
    }
    if (pending.length) await file.write(pending.join(''));
    // On disk before the set is swapped in: a crash soon after must not leave the new names on empty files.
    await file.sync();
  } finally {
    await file.close();
  }
}

/**
 * Renders and writes every format into `dir`, a directory of its own (an OutputSet's), which is swapped in
 * whole once everything is written. Returns the paths, in OUTPUTS order.
 */
export async function writeOutputs(dir: string, result: AnalysisResult, options: RenderOptions): Promise<string[]> {
  const written: string[] = [];
  for (const format of OUTPUTS) {
    const path = join(dir, format.file);
    await writeFileSynced(path, format.chunks ? format.chunks(result, options) : [format.render(result, options)]);
    written.push(path);
  }
  return written;
}
