import { mkdir, open, rename, rm } from 'node:fs/promises';
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

async function writeAtomically(path: string, pieces: Iterable<string>): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  const file = await open(tmp, 'w');
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
    // Without the sync a crash soon after the rename could leave the new name pointing at an empty file.
    await file.sync();
  } catch (err) {
    await file.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
  await file.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Renders and writes every format into `dir` (created if missing). Each file appears whole or not at all:
 * it is written under a temporary name and renamed over the old one. Returns the paths, in OUTPUTS order.
 */
export async function writeOutputs(dir: string, result: AnalysisResult, options: RenderOptions): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const format of OUTPUTS) {
    const path = join(dir, format.file);
    await writeAtomically(path, format.chunks ? format.chunks(result, options) : [format.render(result, options)]);
    written.push(path);
  }
  return written;
}
