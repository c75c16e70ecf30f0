import type { Lang } from '../output/fmt.js';

// The upload page's words. Plain text only: pages escape them like any other text.

const en = {
  appTitle: 'txlog: analyze a terminal export',
  switchLang: '中文',
  intro: 'Upload a terminal export (CSV, TSV, NDJSON, JSON, jPOS XML, or .gz) to see what txlog read from it and the report. Optionally add the settlement file and a mapping profile.',
  files: 'Files',
  terminalFile: 'Terminal export (required)',
  settlementFile: 'Settlement file (optional)',
  mappingFile: 'Mapping profile, JSON (optional)',
  dropHint: 'or drop a file here',
  options: 'Options',
  tz: 'Time zone of times without an offset',
  tzHint: 'IANA name, e.g. Asia/Shanghai; empty: UTC',
  currency: 'Currency of amounts that name none',
  currencyHint: 'ISO code, e.g. CNY; empty: CNY',
  reportLang: 'Report language',
  analyze: 'Analyze',
  uploading: 'Uploading…',
  analyzing: 'Uploaded; analyzing…',
  uploadFailed: 'The upload failed (the connection was closed). Try again.',
  privacy: 'Nothing leaves this machine. Uploads are written to a private temporary directory and deleted as soon as the analysis is done; the results are kept in memory for {minutes} minutes. Card numbers are masked in every output. Largest upload: {limit}.',
  resultTitle: 'Analysis of {name}',
  detected: 'What was detected',
  role_terminal: 'Terminal export',
  role_settlement: 'Settlement file',
  kind: 'Read as',
  kind_terminal: 'terminal transactions',
  kind_events: 'terminal events',
  kind_settlement: 'settlement lines',
  kind_mixed: 'transactions and events',
  format: 'Format',
  encoding: 'Encoding',
  compressedGz: 'gzip-compressed',
  delimiter: 'Delimiter',
  headerLine: 'Header row',
  headerLineValue: 'line {line}',
  profile: 'Mapping profile',
  profileNone: 'none (column names recognised)',
  rows: 'Rows',
  read: 'read',
  accepted: 'accepted',
  rejected: 'rejected',
  skipped: 'skipped',
  skippedBecause: '{n} skipped: {reason}',
  mapping: 'Header mapping',
  field: 'Field',
  column: 'Column(s) in the file',
  mappingJson: 'Fields are read by their names in each record.',
  unmapped: 'Columns kept as extra (no field reads them)',
  alternatives: 'also possible',
  dates: 'Dates',
  decimal: 'Decimal mark',
  undecided: 'Not decided from the values',
  command: 'The same on the command line',
  firstRejects: 'First rejected rows',
  rejectsMore: 'All {n} rejected rows with their reasons are in rejects.ndjson.',
  line: 'Line',
  reason: 'Reason',
  warnings: 'Warnings',
  downloads: 'Downloads',
  report: 'Report',
  openReport: 'Open the report on its own page',
  another: 'Analyze another file',
  kept: 'The uploaded files are deleted. These results stay in memory until {until} (UTC), then they are gone.',
  errorTitle: 'The files could not be analyzed',
  tooLargeTitle: 'The upload is too large',
  tooLarge: 'The upload is larger than the limit of {limit}. Nothing was kept. Split the export, compress it (.gz), or start txlog serve with a larger --max-upload.',
  badForm: 'The upload could not be read: {message}.',
  noTerminal: 'Choose a terminal export to upload.',
  busyTitle: 'The server is busy',
  busy: 'Too many analyses are waiting. Try again in a minute.',
  internalTitle: 'Internal error',
  internal: 'The analysis failed inside txlog (a bug; the server log has no more detail than this page). The uploaded files were deleted.',
  notFoundTitle: 'Not found',
  notFound: 'There is nothing at this address. Results are kept for {minutes} minutes after an upload.',
  methodTitle: 'Method not allowed',
  method: 'This address takes {methods}.',
  back: 'Back to the upload page',
  status: 'HTTP {status}',
  bytes: '{n} bytes',
};

type Key = keyof typeof en;

const zh: Record<Key, string> = {
  appTitle: 'txlog：分析终端导出文件',
  switchLang: 'English',
  intro: '上传终端导出文件（CSV、TSV、NDJSON、JSON、jPOS XML 或 .gz），查看 txlog 从中读到了什么以及分析报告。可选：同时上传结算文件和映射配置。',
  files: '文件',
  terminalFile: '终端导出文件（必填）',
  settlementFile: '结算文件（可选）',
  mappingFile: '映射配置 JSON（可选）',
  dropHint: '或把文件拖到这里',
  options: '选项',
  tz: '不带时区的时间所在时区',
  tzHint: 'IANA 名称，例如 Asia/Shanghai；留空为 UTC',
  currency: '未注明币种的金额所用币种',
  currencyHint: 'ISO 代码，例如 CNY；留空为 CNY',
  reportLang: '报告语言',
  analyze: '开始分析',
  uploading: '正在上传…',
  analyzing: '已上传，正在分析…',
  uploadFailed: '上传失败（连接已关闭），请重试。',
  privacy: '数据不会离开本机。上传的文件写入私有临时目录，分析完成后立即删除；结果在内存中保留 {minutes} 分钟。所有输出中的卡号均已脱敏。上传上限：{limit}。',
  resultTitle: '{name} 的分析结果',
  detected: '识别结果',
  role_terminal: '终端导出文件',
  role_settlement: '结算文件',
  kind: '读取为',
  kind_terminal: '终端交易',
  kind_events: '终端事件',
  kind_settlement: '结算明细',
  kind_mixed: '交易和事件',
  format: '格式',
  encoding: '编码',
  compressedGz: 'gzip 压缩',
  delimiter: '分隔符',
  headerLine: '表头行',
  headerLineValue: '第 {line} 行',
  profile: '映射配置',
  profileNone: '无（按列名识别）',
  rows: '行数',
  read: '读取',
  accepted: '接受',
  rejected: '拒收',
  skipped: '跳过',
  skippedBecause: '跳过 {n} 行：{reason}',
  mapping: '表头映射',
  field: '字段',
  column: '文件中的列',
  mappingJson: '字段按每条记录中的名称读取。',
  unmapped: '作为附加信息保留的列（无字段读取）',
  alternatives: '也可能是',
  dates: '日期格式',
  decimal: '小数点',
  undecided: '无法从数据判断',
  command: '对应的命令行',
  firstRejects: '最先被拒收的行',
  rejectsMore: '全部 {n} 条被拒收的行及原因见 rejects.ndjson。',
  line: '行',
  reason: '原因',
  warnings: '警告',
  downloads: '下载',
  report: '报告',
  openReport: '在单独页面中打开报告',
  another: '分析另一个文件',
  kept: '上传的文件已删除。以下结果在内存中保留到 {until}（UTC），之后即被清除。',
  errorTitle: '无法分析这些文件',
  tooLargeTitle: '上传的文件过大',
  tooLarge: '上传内容超过了 {limit} 的上限，未保留任何数据。请拆分导出文件、压缩为 .gz，或以更大的 --max-upload 启动 txlog serve。',
  badForm: '无法读取上传内容：{message}。',
  noTerminal: '请选择要上传的终端导出文件。',
  busyTitle: '服务器繁忙',
  busy: '等待中的分析任务过多，请一分钟后重试。',
  internalTitle: '内部错误',
  internal: 'txlog 内部分析失败（程序缺陷；服务器日志中没有比本页更多的信息）。上传的文件已删除。',
  notFoundTitle: '未找到',
  notFound: '此地址没有内容。上传后的结果保留 {minutes} 分钟。',
  methodTitle: '不支持该请求方法',
  method: '此地址只接受 {methods}。',
  back: '返回上传页面',
  status: 'HTTP {status}',
  bytes: '{n} 字节',
};

const MESSAGES: Record<Lang, Record<Key, string>> = { en, zh };

export type StringKey = Key;

export function s(lang: Lang, key: Key, vars: Record<string, string | number> = {}): string {
  return MESSAGES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole));
}

/** `?lang=` first, then the browser's Accept-Language (the first of en/zh it names), then English. */
export function pickLang(query: string | null, acceptLanguage: string | undefined): Lang {
  if (query === 'zh' || query === 'en') return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)).find(Boolean);
      return { tag, q: q ? Number(q[1]) : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
