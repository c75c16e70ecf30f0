import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

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

// What the machine said, and what the user can do about it.
const FS_FIXES: Record<string, [string, string]> = {
  ENOENT: ['does not exist', 'check the path'],
  EACCES: ['permission denied', 'check the permissions, or choose a path you can write to'],
  EPERM: ['operation not permitted', 'check the permissions, or choose another path'],
  EROFS: ['is on a read-only file system', 'choose a writable location'],
  ENOSPC: ['no space left on the device', 'free some space or choose another disk'],
  EDQUOT: ['disk quota exceeded', 'free some space or choose another disk'],
  EFBIG: ['the file is larger than this file system or the file-size limit allows (ulimit -f; FAT32 stops at 4 GiB)', 'write to another file system, or raise the limit'],
  EEXIST: ['already exists', 'choose another path'],
  ENOTDIR: ['a part of the path is a file, not a directory', 'check the path'],
  EISDIR: ['is a directory', 'give a file'],
  ENAMETOOLONG: ['the name is too long', 'choose a shorter path'],
  ELOOP: ['too many symbolic links', 'check the links on the path'],
  EMFILE: ['too many open files', 'raise the open-file limit (ulimit -n)'],
  ENFILE: ['too many open files on the system', 'close other programs or raise the limit'],
  EIO: ['input/output error', 'check the disk'],
  EBUSY: ['the file is busy', 'try again when it is free'],
  ETXTBSY: ['the file is busy', 'try again when it is free'],
  EXDEV: ['crosses file systems', 'keep the output on one file system'],
};

export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | null;
  return !!e && typeof e.code === 'string' && e.code in FS_FIXES && typeof e.syscall === 'string';
}

/** A file system failure as the one-line message of a job that cannot run (exit 2). */
export function fsError(err: NodeJS.ErrnoException, what: string, path = err.path ?? ''): TxlogError {
  const [said, fix] = FS_FIXES[err.code ?? ''] ?? [err.message, 'check the path'];
  return new TxlogError(`FS_${err.code ?? 'ERROR'}`, `${what}${path ? ` ${path}` : ''}: ${said} (${err.code}). Fix: ${fix}.`);
}

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir never returns on some paths (`/proc/x` loops on
 * ENOENT), and a clear error names the level that failed.
 */
export async function makeDirs(path: string, what: string): Promise<void> {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    const st = await stat(p).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(fsError(err, what, p))));
    if (st) {
      if (!st.isDirectory()) throw new TxlogError('FS_ENOTDIR', `${what} ${path}: ${p} is a file, not a directory. Fix: choose a directory path.`);
      break;
    }
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const dir of missing.reverse()) {
    await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw fsError(err, what, dir);
    });
  }
}
