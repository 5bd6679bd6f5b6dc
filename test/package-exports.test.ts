import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** package.json "exports" point at what `npm run build` emits: dist/<x>.js and .d.ts from src/<x>.ts. */
const ROOT = resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8'));
const entries = Object.entries(pkg.exports as Record<string, string | { types: string; default: string }>).filter(([k]) => k !== './package.json');

describe('the package entry points', () => {
  it('export the library, the file readers and the testing helpers', () => {
    expect(entries.map(([k]) => k)).toEqual(['.', './files', './testing']);
  });

  it.each(entries)('%s has types and code built from a source file', (_key, target) => {
    if (typeof target === 'string') throw new Error('every entry names its types');
    const source = target.default.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
    expect(existsSync(resolve(ROOT, source)), source).toBe(true);
    expect(target.types).toBe(target.default.replace(/\.js$/, '.d.ts'));
  });

  it('keeps bin and main working, and ships fast-check to users of the testing entry', () => {
    expect(pkg.bin['ambient-bench']).toBe('dist/cli/main.js');
    expect(pkg.main).toBe('dist/index.js');
    expect(pkg.dependencies['fast-check']).toBe('4.10.2');
    expect(pkg.devDependencies['fast-check']).toBeUndefined();
  });
});
