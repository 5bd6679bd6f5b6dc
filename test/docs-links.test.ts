import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The repository's documents link only to files inside it, and to headings that exist. */
const ROOT = resolve(__dirname, '..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') return [];
    if (statSync(path).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[`*_]/g, '').replace(/[^\p{L}\p{N} -]/gu, '').replace(/ /g, '-');
}

function anchorsIn(file: string): Set<string> {
  const headings = readFileSync(file, 'utf8').match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((h) => anchorOf(h.replace(/^#+ /, ''))));
}

/** A markdown file's prose: fenced code blocks (examples of other people's layouts) left out. */
const proseOf = (file: string): string => readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');

/** Every relative link target of a markdown file's prose. */
function linksIn(file: string): string[] {
  const text = proseOf(file);
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((t) => !/^[a-z]+:/i.test(t));
}

const FILES = markdownFiles(ROOT);

describe('links in the documents', () => {
  it('finds the documents', () => {
    expect(FILES.map((f) => relative(ROOT, f))).toEqual(expect.arrayContaining(['README.md', 'docs/semantics.md', 'docs/contract.md']));
  });

  it.each(FILES.map((f) => [relative(ROOT, f), f] as const))('%s links only to files in the repository', (_name, file) => {
    const broken = linksIn(file).filter((target) => {
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const to = path === '' ? file : resolve(dirname(file), path);
      if (!to.startsWith(`${ROOT}/`) || !existsSync(to)) return true;
      return anchor !== undefined && to.endsWith('.md') && !anchorsIn(to).has(anchor);
    });
    expect(broken).toEqual([]);
  });

  it('the README links to the semantics, the contract and the scenarios', () => {
    expect(linksIn(join(ROOT, 'README.md'))).toEqual(expect.arrayContaining(['docs/semantics.md', 'docs/contract.md', 'scenarios/README.md']));
  });

  it('no document sends its reader to a folder outside the repository', () => {
    const outside = FILES.filter((f) => /\.\.\/shared\b|DESIGN\.md/.test(proseOf(f))).map((f) => relative(ROOT, f));
    expect(outside).toEqual([]);
  });
});
