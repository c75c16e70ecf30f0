import { chmod, lstat, mkdtemp, readdir, readlink, realpath, rename, rm, rmdir, symlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fsError, isFsError, makeDirs, TxlogError } from '../errors.js';
import { OUTPUT_FILES } from '../../parsers/source.js';

/**
 * The output files as one set, swapped in whole. Files are written into a fresh directory beside `--out`
 * (in a hidden `.<name>.txlog/` store); at the end `--out` is made to point at it by renaming a symbolic
 * link over it, which is atomic. A run that fails or is killed leaves the previous set as it was; two runs
 * at once each leave a complete set (the later swap wins); what a dead run left behind is removed by the
 * next run. Where the file system has no symbolic links, the directories themselves are renamed (a
 * moment without `--out`, never a mixed set).
 */
export class OutputSet {
  private constructor(
    /** `--out` as given (paths shown to people use it). */
    readonly out: string,
    private readonly target: string,
    private readonly store: string,
    /** Where this run writes its files. */
    readonly dir: string,
  ) {}

  static async open(out: string): Promise<OutputSet> {
    let target = resolve(out);
    const what = '--out';
    let info = await lstat(target).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(fsError(err, what, out))));
    if (info?.isSymbolicLink() && !(await OutputSet.ours(target))) {
      // A link the user made: the set goes where it points.
      target = await realpath(target).catch((err: NodeJS.ErrnoException) => Promise.reject(fsError(err, what, out)));
      info = await lstat(target).catch(() => null);
    }
    if (info && !info.isSymbolicLink()) {
      if (!info.isDirectory()) throw new TxlogError('OUT_IS_FILE', `--out ${out} is a file, not a directory. Fix: give a directory for the report files (it is created if missing).`);
      const foreign = await OutputSet.foreignEntries(target);
      if (foreign.length) {
        throw new TxlogError(
          'OUT_NOT_EMPTY',
          `--out ${out} holds files txlog did not write (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); txlog replaces its output directory as a whole. Fix: choose a new or empty directory.`,
        );
      }
    }
    const parent = dirname(target);
    const store = join(parent, `.${basename(target)}.txlog`);
    await makeDirs(parent, what);
    await makeDirs(store, what);
    await OutputSet.cleanStale(parent, store, target);
    const dir = await mkdtemp(join(store, `run-${process.pid}-`)).catch((err: NodeJS.ErrnoException) => Promise.reject(fsError(err, what, out)));
    // mkdtemp makes the directory private; the report is as readable as any file the user writes.
    await chmod(dir, 0o777 & ~process.umask());
    return new OutputSet(out, target, store, dir);
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  /** Swaps the finished set in. */
  async commit(): Promise<void> {
    const parent = dirname(this.target);
    const link = join(parent, `.${basename(this.target)}.txlog-link-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
    try {
      const previous = await this.currentTarget();
      const made = await symlink(relative(parent, this.dir), link).then(
        () => true,
        (err: NodeJS.ErrnoException) => {
          if (err.code === 'EPERM' || err.code === 'ENOTSUP' || err.code === 'EOPNOTSUPP' || err.code === 'ENOSYS') return false;
          throw err;
        },
      );
      const info = await lstat(this.target).catch(() => null);
      let legacy: string | undefined;
      if (info && !info.isSymbolicLink()) {
        // A real directory (an older txlog's output, or an empty one): moved into the store, then replaced.
        legacy = join(this.store, `previous-${process.pid}-${Date.now()}`);
        if ((await readdir(this.target)).length === 0) await rmdir(this.target);
        else await rename(this.target, legacy);
      }
      if (made) await rename(link, this.target);
      else {
        if (info?.isSymbolicLink()) await rm(this.target);
        await rename(this.dir, this.target);
      }
      for (const old of [previous, legacy]) if (old && old !== this.dir) await rm(old, { recursive: true, force: true });
    } catch (err) {
      await rm(link, { force: true }).catch(() => {});
      throw isFsError(err) ? fsError(err, 'writing the report set for --out', this.out) : err;
    }
  }

  /** Removes this run's files; the previous set stays as it was. */
  async discard(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true }).catch(() => {});
  }

  /** The store directory `--out` points at now, if it is one of ours. */
  private async currentTarget(): Promise<string | undefined> {
    const link = await readlink(this.target).catch(() => undefined);
    if (link === undefined) return undefined;
    const abs = resolve(dirname(this.target), link);
    return abs.startsWith(this.store + sep) ? abs : undefined;
  }

  private static async ours(path: string): Promise<boolean> {
    const link = await readlink(path).catch(() => undefined);
    return link !== undefined && resolve(dirname(path), link).startsWith(join(dirname(path), `.${basename(path)}.txlog`) + sep);
  }

  /** Entries of an existing --out directory that are not a txlog output set's files. */
  private static async foreignEntries(dir: string): Promise<string[]> {
    const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => Promise.reject(fsError(err, '--out', dir)));
    return names.filter((n) => !OUTPUT_FILES.has(n) && !/\.tmp-\d+$/.test(n)).sort();
  }

  /** Run directories and links of processes that are gone, except what --out points at. */
  private static async cleanStale(parent: string, store: string, target: string): Promise<void> {
    const keep = await readlink(target).then((l) => resolve(parent, l), () => undefined);
    for (const name of await readdir(store).catch(() => [] as string[])) {
      const path = join(store, name);
      const pid = /^(?:run|previous)-(\d+)-/.exec(name)?.[1];
      if (path === keep || (pid !== undefined && alive(Number(pid)))) continue;
      if (pid !== undefined || name.startsWith('previous-')) await rm(path, { recursive: true, force: true }).catch(() => {});
    }
    const prefix = `.${basename(target)}.txlog-link-`;
    for (const name of await readdir(parent).catch(() => [] as string[])) {
      if (!name.startsWith(prefix)) continue;
      const pid = Number(name.slice(prefix.length).split('-')[0]);
      if (!alive(pid)) await rm(join(parent, name), { force: true }).catch(() => {});
    }
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
