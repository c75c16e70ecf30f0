/**
 * The one exception users see: the job cannot run (exit 2). Everything about a single row is a reject.
 * Message shape (architecture.md): what happened, what was allowed, what we got, where, and the fix.
 */
export class TxlogError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(message);
    this.name = 'TxlogError';
  }
}
