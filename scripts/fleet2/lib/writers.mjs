// Buffered synchronous writers: memory stays flat whatever the row count, and the output order is
// exactly the generation order (deterministic).
import fs from 'node:fs';

class Sink {
  constructor(path) {
    this.path = path;
    this.fd = fs.openSync(path, 'w');
    this.buf = [];
    this.size = 0;
    this.rows = 0;
  }
  raw(s) {
    this.buf.push(s);
    this.size += s.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush() {
    if (this.buf.length) fs.writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
  close() { this.flush(); fs.closeSync(this.fd); }
}

export class NdjsonWriter extends Sink {
  write(obj) { this.rows++; this.raw(JSON.stringify(obj) + '\n'); }
}

export class JsonArrayWriter extends Sink {
  constructor(path) { super(path); this.raw('['); }
  write(obj) { this.raw((this.rows++ ? ',\n' : '\n') + JSON.stringify(obj)); }
  close() { this.raw(this.rows ? '\n]\n' : ']\n'); super.close(); }
}

function csvCell(v) {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export class CsvWriter extends Sink {
  constructor(path, columns) {
    super(path);
    this.columns = columns;
    this.raw(columns.join(',') + '\n');
  }
  write(obj) {
    this.rows++;
    let line = '';
    for (let i = 0; i < this.columns.length; i++) line += (i ? ',' : '') + csvCell(obj[this.columns[i]]);
    this.raw(line + '\n');
  }
}

export const TERMINAL_COLUMNS = [
  'txnId', 'terminalId', 'merchantId', 'timestamp', 'type', 'amount', 'currency', 'status', 'responseCode',
  'codeProfile', 'errorCode', 'message', 'entryMode', 'rrn', 'stan', 'authCode', 'batchId', 'cardRef',
  'softwareVersion', 'model', 'connection', 'signalDbm', 'latencyMs', 'originalTxnId', 'originalRrn',
];

export const SETTLEMENT_COLUMNS = [
  'txnId', 'rrn', 'terminalId', 'merchantId', 'settlementDate', 'batchId', 'amount', 'currency', 'status',
  'reasonCode', 'message',
];

export function terminalWriter(dir, format) {
  if (format === 'csv') return new CsvWriter(`${dir}/terminal.csv`, TERMINAL_COLUMNS);
  if (format === 'json') return new JsonArrayWriter(`${dir}/terminal.json`);
  return new NdjsonWriter(`${dir}/terminal.ndjson`);
}
