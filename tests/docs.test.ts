// The repository documents itself (issue 10, item 6): generated blocks are current, every option is in the
// README, and no Markdown file links outside the repository or to a file that is not there.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli.js';
import { BLOCKS, blocksIn, DOC_FILES, updateDoc } from '../src/docs.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/**
 * Screenshots other branches produce (the upload page of `txlog serve`, a report). Until they land, the
 * README may link them while they are missing; nothing else may be missing.
 */
const PENDING_IMAGES = new Set(['docs/img/serve-upload.png', 'docs/img/report.png']);

/** The Markdown files of the repository: tracked or not yet, never ignored ones (report/, node_modules/). */
function markdownFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '--', '*.md'], { cwd: ROOT, encoding: 'utf8' });
    return out.split('\n').filter((f) => f && existsSync(path.join(ROOT, f))).sort();
  } catch {
    // Not a git checkout (an unpacked tarball): walk, leaving out what git would ignore.
    const skip = new Set(['node_modules', 'dist', 'report', 'out', '.bench', '.git']);
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory() && !skip.has(e.name)) walk(rel);
        else if (e.isFile() && e.name.endsWith('.md')) found.push(rel);
      }
    };
    walk('');
    return found.sort();
  }
}

/** Link targets outside code: inline links and images, reference definitions, HTML src/href. */
function linksOf(markdown: string): string[] {
  const text = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/``[^`]*``|`[^`\n]*`/g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]);
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) out.push(m[1]);
  for (const m of text.matchAll(/\b(?:src|href)\s*=\s*"([^"]+)"/g)) out.push(m[1]);
  return out;
}

/** GitHub's heading anchors. */
function anchorsOf(markdown: string): Set<string> {
  const text = markdown.replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = m[1].toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').trim().replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n ? `${slug}-${n}` : slug);
  }
  return out;
}

describe('generated documentation', () => {
  it.each(DOC_FILES)('%s is as `npm run docs` writes it', (file) => {
    const text = read(file);
    expect(updateDoc(text), `${file} is stale: run npm run docs`).toBe(text);
  });

  it('uses every generated block somewhere, each once', () => {
    const used = DOC_FILES.flatMap((f) => blocksIn(read(f)));
    expect([...used].sort()).toEqual(Object.keys(BLOCKS).sort());
  });

  it('documents every option of every command in the README, as commander defines them', () => {
    const readme = read('README.md');
    const program = buildProgram({ stdout: () => {}, stderr: () => {}, color: false });
    for (const o of program.options) expect(readme, o.flags).toContain(`\`${o.flags}\``);
    for (const command of program.commands) {
      expect(readme).toContain(`#### \`txlog ${command.name()}`);
      for (const o of command.options) expect(readme, `${command.name()} ${o.flags}`).toContain(`| \`${o.flags}\` |`);
    }
    for (const flag of ['--encoding <name>', '--delimiter <char>', '--bucket-minutes <n>', '--max-rejects <n>', '-j, --jobs <n>', '-q, --quiet']) {
      expect(readme).toContain(`\`${flag}\``);
    }
  });

  it('has the docs the README promises: causes, inputs, outputs, architecture', () => {
    for (const f of ['docs/causes.md', 'docs/inputs.md', 'docs/outputs.md', 'docs/architecture.md']) expect(existsSync(path.join(ROOT, f)), f).toBe(true);
    const causes = read('docs/causes.md');
    for (const heading of ['### `network`', '### `unknown`', '## Rules']) expect(causes).toContain(heading);
    expect(read('docs/outputs.md')).toMatch(/`schemaVersion` is \*\*\d+\*\*/);
  });

  it('documents the merchant path in English and Chinese, with both screenshots', () => {
    const readme = read('README.md');
    for (const heading of ['## For a merchant with an export', '## 商户使用说明']) {
      const at = readme.indexOf(heading);
      expect(at, heading).toBeGreaterThan(0);
      const section = readme.slice(at, readme.indexOf('\n## ', at + heading.length));
      for (const command of ['txlog inspect export.csv', 'txlog analyze export.csv', 'txlog serve']) expect(section, `${heading}: ${command}`).toContain(command);
      for (const image of PENDING_IMAGES) expect(section, `${heading}: ${image}`).toContain(`](${image})`);
    }
  });
});

describe('links in Markdown', () => {
  const files = markdownFiles();

  it('finds the Markdown files (README and docs/ at least)', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/causes.md', 'docs/inputs.md', 'docs/outputs.md', 'docs/architecture.md']));
  });

  it('reads links the way a renderer does', () => {
    expect(linksOf('see [a](docs/a.md#x) and ![i](img/p.png "t"), `[no](code.md)`\n\n```\n[no](fence.md)\n```\n[r]: ../out.md\n<img src="x.png">')).toEqual([
      'docs/a.md#x',
      'img/p.png',
      '../out.md',
      'x.png',
    ]);
  });

  it.each(files)('%s links only inside the repository, to files that exist', (file) => {
    const text = read(file);
    const problems: string[] = [];
    for (const link of linksOf(text)) {
      if (/^(https?:|mailto:)/i.test(link)) continue; // the web is not a file the clone lacks
      if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('/')) {
        problems.push(`${link}: an absolute path or file URL points outside the repository`);
        continue;
      }
      const [target, anchor] = link.split('#');
      const resolved = target ? path.resolve(ROOT, path.dirname(file), decodeURIComponent(target)) : path.join(ROOT, file);
      const rel = path.relative(ROOT, resolved).split(path.sep).join('/');
      if (rel.startsWith('..') || path.isAbsolute(rel)) {
        problems.push(`${link}: outside the repository (a clone does not have it)`);
        continue;
      }
      if (!existsSync(resolved)) {
        if (!PENDING_IMAGES.has(rel)) problems.push(`${link}: ${rel} does not exist`);
        continue;
      }
      if (anchor && statSync(resolved).isFile() && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        problems.push(`${link}: no heading #${anchor} in ${rel}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('tolerates only the two pending screenshots', () => {
    expect([...PENDING_IMAGES].sort()).toEqual(['docs/img/report.png', 'docs/img/serve-upload.png']);
  });
});
