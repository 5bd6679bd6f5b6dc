import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkArchitecture, edgeKey, onCycle, readImports, readSourceTree,
  type ArchitectureFindings, type Cycle, type LayerTable,
} from './support/import-graph.js';

/**
 * The layers of `src/` and the direction of their imports (DESIGN.md "Layers", "Dependency
 * direction": cli -> files/index -> {load, core, sim, report, generate} -> model). A layer always
 * imports its own files. `pure` layers import no Node builtins and touch neither `console` nor
 * `process`; only cli/ touches `process` and decides exit codes. When core/ is split, give each
 * part (istiod/, dataplane/, analysis/) its own row and the engine rows below their own direction.
 */
const ENGINE = ['core/', 'dataplane/'];
const LIBRARY = ['load', 'core', 'sim', 'report', 'generate', 'model'];

const LAYERS: LayerTable = {
  model: { paths: ['model/'], mayImport: [], effects: 'pure' },
  load: { paths: ['load/'], mayImport: ['model'], effects: 'pure' },
  core: { paths: ENGINE, mayImport: ['model'], effects: 'pure' },
  sim: { paths: ['sim/'], mayImport: ['core', 'model'], effects: 'pure' },
  report: { paths: ['report/'], mayImport: ['model'], effects: 'pure' },
  generate: { paths: ['generate/'], mayImport: ['core', 'sim', 'model'], effects: 'pure' },
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
const KNOWN_LAYER_EXCEPTIONS: readonly string[] = [
  // report/ takes result types from core/; they belong in model/.
  //   ScenarioCheck, ShrunkCounterexample (sim/check-scenario.ts)
  //   ExpectationOutcome, ExpectationFailure (core/expect/evaluate-expectations.ts)
  //   ResultDiff, FlowChange, ChangeKind (core/diff/diff-results.ts)
  //   FlowEvaluation, CheckpointDecision (core/evaluate-flow.ts)
  //   PolicyCoverage (core/policy-coverage.ts)
  // report/ takes a value from core/: LINT_SEVERITY, the severity of each lint code (a table for model/).

  // cli/ takes result types from core/ (model/ once they move there).
  //   ScenarioCheck
  // cli/ calls the engine past index.ts: diffResults, applyWhatIf, policyCoverage, validateManifests, generateFlows.
  // cli/ renders past index.ts: renderers and styles of report/.
];

/**
 * Imports left out of the cycle search because today's tree needs them, each `from -> to`; this list
 * only shrinks too. Kubernetes label selectors (core/resolve/labels.ts) live in resolve/, while authn/
 * and authz/ use them and resolve/ uses authz/ (istiod's translation for ztunnel, PeerAuthentication
 * conversion): authn/ -> resolve/ -> authz/ -> authn/. Moving labels.ts beneath all three (or
 * istiod's translation into istiod/ when core/ is split) removes both entries.
 */
const KNOWN_CYCLE_EXCEPTIONS: readonly string[] = [
  'core/authn/peer-authentication-mode.ts -> core/resolve/labels.ts',
  'core/authz/convert-peer-authentications.ts -> core/resolve/labels.ts',
];

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
    const found = checkArchitecture(new Map([['core/load.ts', 'export const m = (p: string) => import(p);']]), LAYERS);
    expect(found.unresolved.map((r) => `${r.from}:${r.line} ${r.specifier}`)).toEqual(['core/load.ts:1 <computed>']);
  });
});

describe('the checker reports planted violations, naming the files', () => {
  it('finds nothing in a tree that follows the table', () => {
    const found = fixture('clean');
    expect(found.edges.length).toBe(5);
    expect([...forbidden(found), ...cycles(found.fileCycles), ...cycles(found.folderCycles), ...effects(found), ...found.unplaced]).toEqual([]);
  });

  it('reports a reverse import: model/ importing core/', () => {
    expect(forbidden(fixture('reverse-import'))).toEqual(['model/flow.ts -> core/decide.ts (model may not import core, line 1)']);
  });

  it('reports a cycle inside one folder as a path of its files, type-only imports included', () => {
    const found = fixture('cycle-in-folder');
    expect(cycles(found.fileCycles)).toEqual([
      'core/route/choose-waypoint.ts -> core/route/plan-route.ts -> core/route/endpoints.ts -> core/route/choose-waypoint.ts',
    ]);
    expect(found.fileCycles[0]?.folder).toBe('core/route');
  });

  it('reports a cycle of files across folders, through a dynamic import, and the folders it joins', () => {
    const found = fixture('cycle-across-folders');
    expect(cycles(found.fileCycles)).toEqual(['core/authz/ztunnel-rbac.ts -> core/route/plan-route.ts -> core/authz/ztunnel-rbac.ts']);
    expect(cycles(found.folderCycles)).toEqual([
      'core/authz/ -> core/route/ -> core/authz/ [core/authz/ztunnel-rbac.ts -> core/route/plan-route.ts; core/route/plan-route.ts -> core/authz/ztunnel-rbac.ts]',
    ]);
  });

  it('reports folders that import each other through different files, with one import behind each step', () => {
    const found = fixture('folder-cycle');
    expect(found.fileCycles).toEqual([]);
    expect(cycles(found.folderCycles)).toEqual([
      'core/resolve/ -> core/validate/ -> core/resolve/ '
      + '[core/resolve/resolve-mesh.ts -> core/validate/validate-cluster.ts; core/validate/validate-manifests.ts -> core/resolve/resolve-mesh.ts]',
    ]);
  });

  it('leaves a cycle out when one of its imports is a listed exception', () => {
    const tree = readSourceTree(resolve(FIXTURES, 'folder-cycle'));
    const found = checkArchitecture(tree, LAYERS, { cycleExceptions: new Set(['core/validate/validate-manifests.ts -> core/resolve/resolve-mesh.ts']) });
    expect(found.folderCycles).toEqual([]);
    expect(onCycle(checkArchitecture(tree, LAYERS), { from: 'core/validate/validate-manifests.ts', to: 'core/resolve/resolve-mesh.ts' })).toBe(true);
  });

  it('reports a file that imports itself', () => {
    const found = checkArchitecture(new Map([['core/loop.ts', "export * from './loop.js';"]]), LAYERS);
    expect(cycles(found.fileCycles)).toEqual(['core/loop.ts -> core/loop.ts']);
  });

  it('takes a folder and the subfolders inside it as parts of one folder, not a cycle', () => {
    const found = checkArchitecture(new Map([
      ['core/validate/report-problem.ts', 'export const display = 1;'],
      ['core/validate/lints/ports.ts', "import { display } from '../report-problem.js';\nexport const ports = display;"],
      ['core/validate/validate-manifests.ts', "import { ports } from './lints/ports.js';\nexport const all = ports;"],
    ]), LAYERS);
    expect([...cycles(found.fileCycles), ...cycles(found.folderCycles)]).toEqual([]);
  });

  it('reports node:fs, a bare builtin and console in pure folders, and allows node:fs in files.ts', () => {
    expect(effects(fixture('builtin-in-pure'))).toEqual([
      'core/read-policies.ts:1 node:fs (core is pure)',
      'report/text.ts:2 console (report is pure)',
      'sim/clock.ts:2 process (sim is pure)',
    ]);
  });
});
