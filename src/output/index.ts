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

/**
 * Writes a file and starts its fsync; the promise returned settles once it is on disk and closed. The
 * caller renders the next format meanwhile: a report's findings file is most of the bytes, and waiting for
 * its sync before rendering the rest left the CPU idle.
 */
async function writeFile(path: string, pieces: Iterable<string>): Promise<{ synced: Promise<void> }> {
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
  } catch (err) {
    await file.close();
    throw err;
  }
  // On disk before the set is swapped in: a crash soon after must not leave the new names on empty files.
  const synced = file.sync().finally(() => file.close());
  synced.catch(() => {});
  return { synced };
}

/**
 * Renders and writes every format into `dir`, a directory of its own (an OutputSet's), which is swapped in
 * whole once everything is written. Returns the paths, in OUTPUTS order.
 */
export async function writeOutputs(dir: string, result: AnalysisResult, options: RenderOptions): Promise<string[]> {
  const written: string[] = [];
  const syncs: Promise<void>[] = [];
  try {
    for (const format of OUTPUTS) {
      const path = join(dir, format.file);
      const { synced } = await writeFile(path, format.chunks ? format.chunks(result, options) : [format.render(result, options)]);
      syncs.push(synced);
      written.push(path);
    }
  } finally {
    // Every file is closed before this returns, also when a later one failed.
    await Promise.allSettled(syncs);
  }
  await Promise.all(syncs);
  return written;
}
