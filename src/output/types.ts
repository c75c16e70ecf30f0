import type { Findings } from '../finding-table.js';
import type { Finding, Report } from '../model.js';

export interface AnalysisResult {
  report: Report;
  /** As analyze returns them, or a caller's own list. */
  findings: Findings | readonly Finding[];
}

export interface RenderOptions {
  lang: 'en' | 'zh';
}

export interface OutputFormat {
  id: string;
  /** File name inside the output directory. */
  file: string;
  render(result: AnalysisResult, options: RenderOptions): string;
  /**
   * Optional piecewise rendering, joined equal to `render`. Outputs that grow with the findings use it so
   * writeOutputs never builds one string past V8's ~512 MB limit (about a million findings).
   */
  chunks?(result: AnalysisResult, options: RenderOptions): Iterable<string>;
}
