import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * DESIGN.md "Layers": cli -> files/index -> {load, core, sim, report, generate} -> model.
 * generate/ (arbitraries, invariants) builds on core/ and model/ only; testing/ is the `ambient-bench/testing`
 * entry point over generate/ and report/. core/, sim/, load/, report/, generate/, testing/ and model/ never
 * import node:*; only cli/ touches `process`.
 */
const SRC = resolve(__dirname, '../src');

type Layer = 'model' | 'load' | 'core' | 'sim' | 'report' | 'generate' | 'testing' | 'api' | 'files' | 'cli' | 'bench';

const ALLOWED: Record<Layer, readonly Layer[]> = {
  model: ['model'],
  load: ['load', 'model'],
  core: ['core', 'model'],
  sim: ['sim', 'core', 'model'],
  report: ['report', 'model', 'core'],
  generate: ['generate', 'core', 'model'],
  testing: ['testing', 'generate', 'report', 'core', 'model'],
  api: ['api', 'load', 'core', 'sim', 'report', 'generate', 'model'],
  files: ['files', 'api', 'load', 'core', 'sim', 'report', 'generate', 'model'],
  cli: ['cli', 'files', 'api', 'load', 'core', 'sim', 'report', 'generate', 'model'],
  bench: ['bench', 'files', 'api', 'load', 'core', 'sim', 'report', 'generate', 'model'],
};
const PURE: readonly Layer[] = ['model', 'load', 'core', 'sim', 'report', 'generate', 'testing', 'api'];

function layerOf(file: string): Layer {
  const rel = relative(SRC, file).replaceAll('\\', '/');
  if (rel === 'index.ts') return 'api';
  if (rel === 'files.ts' || rel.startsWith('files/')) return 'files';
  const top = rel.split('/')[0] as string;
  if (top in ALLOWED) return top as Layer;
  throw new Error(`file ${rel} is in no layer of DESIGN.md; add it to the architecture test`);
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/g)) out.push(m[1] as string);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1] as string);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1] as string);
  return out;
}

const files = sources(SRC);

describe('the layer rules of DESIGN.md hold', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s imports only from allowed layers', (_rel, file) => {
    const from = layerOf(file);
    const text = readFileSync(file, 'utf8');
    const violations: string[] = [];
    for (const spec of imports(text)) {
      if (spec.startsWith('node:') || ['fs', 'path', 'os', 'stream', 'child_process', 'process'].includes(spec)) {
        if (PURE.includes(from)) violations.push(`${spec} (pure layer ${from} must not do I/O)`);
        continue;
      }
      if (!spec.startsWith('.')) continue;
      const to = layerOf(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      if (!ALLOWED[from].includes(to)) violations.push(`${spec} (${from} -> ${to})`);
    }
    if (from !== 'cli' && from !== 'bench' && /\bprocess\.(exit|argv|stdout|stderr|env|exitCode)/.test(text)) {
      violations.push('uses process (only cli/ may)');
    }
    expect(violations).toEqual([]);
  });
});
