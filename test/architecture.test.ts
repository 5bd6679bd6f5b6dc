import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkArchitecture, edgeKey, onCycle, readImports, readSourceTree,
  type ArchitectureFindings, type Cycle, type LayerTable,
} from './support/import-graph.js';

/**
 * The layers of `src/` and the direction of their imports (DESIGN.md "Layers", "Dependency
 * direction": cli -> files/index -> {load, engine, sim, report, generate} -> model). The engine is
 * split along what it models: istiod/ (Cluster -> Mesh), dataplane/ (compile, decide, explain), and
 * analysis/ (diff, expectations, what-if, coverage, validation), over match/ (string, path, address
 * and label matching, stable hashing). A layer always imports its own files. `pure` layers import no
 * Node builtins and touch neither `console` nor `process`; only cli/ touches `process` and decides
 * exit codes.
 */
const LIBRARY = ['load', 'match', 'istiod', 'dataplane', 'analysis', 'sim', 'report', 'generate', 'model'];

const LAYERS: LayerTable = {
  model: { paths: ['model/'], mayImport: [], effects: 'pure' },
  match: { paths: ['match/'], mayImport: ['model'], effects: 'pure' },
  load: { paths: ['load/'], mayImport: ['model'], effects: 'pure' },
  istiod: { paths: ['istiod/'], mayImport: ['match', 'model'], effects: 'pure' },
  dataplane: { paths: ['dataplane/'], mayImport: ['istiod', 'match', 'model'], effects: 'pure' },
  analysis: { paths: ['analysis/'], mayImport: ['dataplane', 'istiod', 'match', 'model'], effects: 'pure' },
  sim: { paths: ['sim/'], mayImport: ['analysis', 'dataplane', 'istiod', 'match', 'model'], effects: 'pure' },
  report: { paths: ['report/'], mayImport: ['model'], effects: 'pure' },
  generate: { paths: ['generate/'], mayImport: ['sim', 'analysis', 'dataplane', 'istiod', 'match', 'model'], effects: 'pure' },
  index: { paths: ['index.ts'], mayImport: LIBRARY, effects: 'pure' },
  /** `ambient-bench/testing`: an entry point beside index.ts, for users' own tests. */
  testing: { paths: ['testing/'], mayImport: ['index', ...LIBRARY], effects: 'pure' },
  files: { paths: ['files.ts', 'files/'], mayImport: ['index', ...LIBRARY], effects: 'io' },
  cli: { paths: ['cli/'], mayImport: ['files', 'index', 'model'], effects: 'process' },
};

/**
 * Imports the table forbids that today's tree still has, one per importing file -> imported file.
 * This list only shrinks: a test fails when an entry no longer occurs. Never add to it.
 */
const KNOWN_LAYER_EXCEPTIONS: readonly string[] = [];

/** Imports left out of the cycle search, each `from -> to`; this list only shrinks too. Never add to it. */
const KNOWN_CYCLE_EXCEPTIONS: readonly string[] = [];

const SRC = resolve(__dirname, '../src');
const FIXTURES = resolve(__dirname, 'fixtures/architecture');

const tree = readSourceTree(SRC);
const findings = checkArchitecture(tree, LAYERS, { cycleExceptions: new Set(KNOWN_CYCLE_EXCEPTIONS) });
const everyCycle = checkArchitecture(tree, LAYERS);

const forbidden = (f: ArchitectureFindings): string[] =>
  f.forbidden.map((v) => `${edgeKey(v)} (${v.fromLayer} may not import ${v.toLayer}, line ${v.line})`);
const cycles = (list: readonly Cycle[]): string[] =>
  list.map((c) => (c.witnesses.length === 0 ? c.path : `${c.path} [${c.witnesses.join('; ')}]`));
const effects = (f: ArchitectureFindings): string[] => f.effects.map((e) => `${e.file}:${e.line} ${e.what} (${e.layer} is ${LAYERS[e.layer]?.effects})`);
const fixture = (name: string): ArchitectureFindings => checkArchitecture(readSourceTree(resolve(FIXTURES, name)), LAYERS);

describe('src/ follows the layer table of DESIGN.md', () => {
  it('reads the whole source tree', () => {
    expect(tree.size).toBeGreaterThan(100);
    expect(findings.edges.length).toBeGreaterThan(500);
  });

  it('places every source file in a layer', () => {
    expect(findings.unplaced).toEqual([]);
  });

  it('resolves every relative import to a source file', () => {
    expect(findings.unresolved.map((r) => `${r.from}:${r.line} ${r.specifier}`)).toEqual([]);
  });

  it('imports across layers only in the documented direction, besides the known exceptions', () => {
    const known = new Set(KNOWN_LAYER_EXCEPTIONS);
    expect(forbidden({ ...findings, forbidden: findings.forbidden.filter((v) => !known.has(edgeKey(v))) })).toEqual([]);
  });

  it('keeps Node builtins, console and process out of the pure layers', () => {
    expect(effects(findings)).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(findings.fileCycles)).toEqual([]);
  });

  it('has no import cycle between the parts of any folder, besides the known exceptions', () => {
    expect(cycles(findings.folderCycles)).toEqual([]);
  });
});

describe('the known exceptions only shrink', () => {
  it.each(KNOWN_LAYER_EXCEPTIONS)('layer exception %s still occurs (remove it once it does not)', (entry) => {
    expect(findings.forbidden.map(edgeKey)).toContain(entry);
  });

  it.each(KNOWN_CYCLE_EXCEPTIONS)('cycle exception %s still closes a cycle (remove it once it does not)', (entry) => {
    const [from, to] = entry.split(' -> ') as [string, string];
    expect(findings.edges.map(edgeKey)).toContain(entry);
    expect(onCycle(everyCycle, { from, to })).toBe(true);
  });

  it('lists each exception once', () => {
    const all = [...KNOWN_LAYER_EXCEPTIONS, ...KNOWN_CYCLE_EXCEPTIONS];
    expect(all.filter((e, i) => all.indexOf(e) !== i)).toEqual([]);
  });
});

describe('readImports() reads every form of import', () => {
  it('reads static, type-only, re-export, dynamic, type-query and require imports with their lines', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from './b.js';",
      "export { c } from './c.js';",
      "export type * from './d.js';",
      "import './e.js';",
      "const f = await import('./f.js');",
      "type G = typeof import('./g.js');",
      "import h = require('./h.js');",
      "export * as i from 'node:fs';",
    ].join('\n');
    expect(readImports('x.ts', text).map((r) => [r.line, r.kind, r.specifier])).toEqual([
      [1, 'import', './a.js'], [2, 'import type', './b.js'], [3, 'export from', './c.js'], [4, 'export from', './d.js'],
      [5, 'import', './e.js'], [6, 'dynamic import', './f.js'], [7, 'type query', './g.js'], [8, 'require', './h.js'],
      [9, 'export from', 'node:fs'],
    ]);
  });

  it('ignores import-like text in comments and strings', () => {
    const text = "// import { a } from './a.js';\n/* export * from './b.js' */\nconst s = \"import('./c.js')\";\nexport {};";
    expect(readImports('x.ts', text)).toEqual([]);
  });

  it('reports a dynamic import of a computed specifier as unresolved', () => {
    const found = checkArchitecture(new Map([['dataplane/load.ts', 'export const m = (p: string) => import(p);']]), LAYERS);
    expect(found.unresolved.map((r) => `${r.from}:${r.line} ${r.specifier}`)).toEqual(['dataplane/load.ts:1 <computed>']);
  });
});

describe('the checker reports planted violations, naming the files', () => {
  it('finds nothing in a tree that follows the table', () => {
    const found = fixture('clean');
    expect(found.edges.length).toBe(5);
    expect([...forbidden(found), ...cycles(found.fileCycles), ...cycles(found.folderCycles), ...effects(found), ...found.unplaced]).toEqual([]);
  });

  it('reports a reverse import: model/ importing dataplane/', () => {
    expect(forbidden(fixture('reverse-import'))).toEqual(['model/flow.ts -> dataplane/decide.ts (model may not import dataplane, line 1)']);
  });

  it('reports a cycle inside one folder as a path of its files, type-only imports included', () => {
    const found = fixture('cycle-in-folder');
    expect(cycles(found.fileCycles)).toEqual([
      'dataplane/route/choose-waypoint.ts -> dataplane/route/plan-route.ts -> dataplane/route/endpoints.ts -> dataplane/route/choose-waypoint.ts',
    ]);
    expect(found.fileCycles[0]?.folder).toBe('dataplane/route');
  });

  it('reports a cycle of files across folders, through a dynamic import, and the folders it joins', () => {
    const found = fixture('cycle-across-folders');
    expect(cycles(found.fileCycles)).toEqual(['dataplane/authz/ztunnel-rbac.ts -> dataplane/route/plan-route.ts -> dataplane/authz/ztunnel-rbac.ts']);
    expect(cycles(found.folderCycles)).toEqual([
      'dataplane/authz/ -> dataplane/route/ -> dataplane/authz/ [dataplane/authz/ztunnel-rbac.ts -> dataplane/route/plan-route.ts; dataplane/route/plan-route.ts -> dataplane/authz/ztunnel-rbac.ts]',
    ]);
  });

  it('reports folders that import each other through different files, with one import behind each step', () => {
    const found = fixture('folder-cycle');
    expect(found.fileCycles).toEqual([]);
    expect(cycles(found.folderCycles)).toEqual([
      'dataplane/resolve/ -> dataplane/validate/ -> dataplane/resolve/ '
      + '[dataplane/resolve/resolve-mesh.ts -> dataplane/validate/validate-cluster.ts; dataplane/validate/validate-manifests.ts -> dataplane/resolve/resolve-mesh.ts]',
    ]);
  });

  it('leaves a cycle out when one of its imports is a listed exception', () => {
    const tree = readSourceTree(resolve(FIXTURES, 'folder-cycle'));
    const found = checkArchitecture(tree, LAYERS, { cycleExceptions: new Set(['dataplane/validate/validate-manifests.ts -> dataplane/resolve/resolve-mesh.ts']) });
    expect(found.folderCycles).toEqual([]);
    expect(onCycle(checkArchitecture(tree, LAYERS), { from: 'dataplane/validate/validate-manifests.ts', to: 'dataplane/resolve/resolve-mesh.ts' })).toBe(true);
  });

  it('reports a file that imports itself', () => {
    const found = checkArchitecture(new Map([['dataplane/loop.ts', "export * from './loop.js';"]]), LAYERS);
    expect(cycles(found.fileCycles)).toEqual(['dataplane/loop.ts -> dataplane/loop.ts']);
  });

  it('takes a folder and the subfolders inside it as parts of one folder, not a cycle', () => {
    const found = checkArchitecture(new Map([
      ['dataplane/validate/report-problem.ts', 'export const display = 1;'],
      ['dataplane/validate/lints/ports.ts', "import { display } from '../report-problem.js';\nexport const ports = display;"],
      ['dataplane/validate/validate-manifests.ts', "import { ports } from './lints/ports.js';\nexport const all = ports;"],
    ]), LAYERS);
    expect([...cycles(found.fileCycles), ...cycles(found.folderCycles)]).toEqual([]);
  });

  it('reports node:fs, a bare builtin and console in pure folders, and allows node:fs in files.ts', () => {
    expect(effects(fixture('builtin-in-pure'))).toEqual([
      'dataplane/read-policies.ts:1 node:fs (dataplane is pure)',
      'report/text.ts:2 console (report is pure)',
      'sim/clock.ts:2 process (sim is pure)',
    ]);
  });
});
