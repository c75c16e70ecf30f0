import type { OutputFormat } from './types.js';

export const jsonOutput: OutputFormat = {
  id: 'json',
  file: 'report.json',
  render: ({ report }) => `${JSON.stringify(report, null, 2)}\n`,
};
