import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';
import { adjacency, closedWalk, components } from './strong-components.js';

/**
 * The import graph of a TypeScript source tree and the architecture rules checked over it: layer
 * direction, import cycles (between files, and between folders at every level), Node builtins in pure
 * layers. `checkArchitecture` is pure: it takes the tree as text; only `readSourceTree` reads files.
 */

/** A source tree: each `.ts` file's path relative to the root (`/`-separated) and its text. */
export type SourceTree = ReadonlyMap<string, string>;

export type ImportKind = 'import' | 'import type' | 'export from' | 'dynamic import' | 'type query' | 'require';

/** One import of one file, as written. */
export interface ImportRef {
  readonly from: string;
  readonly specifier: string;
  readonly line: number;
  readonly kind: ImportKind;
}

/** An import that resolves to a file of the tree. */
export interface ImportEdge extends ImportRef {
  readonly to: string;
}

/** What a layer may do besides importing its own files and the layers it names. */
export type Effects =
  /** no Node builtins, no `console`, no `process` */
  | 'pure'
  /** Node builtins (files, streams), but not `process` */
  | 'io'
  /** everything, `process` and exit codes included */
  | 'process';

export interface LayerRule {
  /** Its files: a folder ends with `/`, anything else is one file; the longest match over all layers wins. */
  readonly paths: readonly string[];
  /** The other layers it may import. */
  readonly mayImport: readonly string[];
  readonly effects: Effects;
}

export type LayerTable = Readonly<Record<string, LayerRule>>;

export interface LayerViolation extends ImportEdge {
  readonly fromLayer: string;
  readonly toLayer: string;
}

/** A strongly connected component, as a closed walk through all its members: `a.ts -> b.ts -> a.ts`. */
export interface Cycle {
  /** The folder whose parts form the cycle (`''` for the root); for file cycles, the members' common folder. */
  readonly folder: string;
  readonly members: readonly string[];
  readonly path: string;
  /** For folder cycles: one file import behind each step of `path`. */
  readonly witnesses: readonly string[];
}

/** A use of something a layer's effects forbid: a Node builtin, `process` or `console`. */
export interface EffectUse {
  readonly file: string;
  readonly layer: string;
  readonly what: string;
  readonly line: number;
}

export interface ArchitectureFindings {
  readonly edges: readonly ImportEdge[];
  readonly forbidden: readonly LayerViolation[];
  readonly fileCycles: readonly Cycle[];
  readonly folderCycles: readonly Cycle[];
  readonly effects: readonly EffectUse[];
  /** Files no layer claims. */
  readonly unplaced: readonly string[];
  /** Relative imports that name no file of the tree, and dynamic imports of a computed specifier. */
  readonly unresolved: readonly ImportRef[];
}

const BUILTINS: ReadonlySet<string> = new Set(builtinModules);

/** Whether a specifier names a Node builtin (`node:fs`, `fs`, `fs/promises`). */
export function isBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || BUILTINS.has(specifier);
}

/** Every import of a file: static, type-only, re-exports, `import()` (calls and types), `require()`. */
export function readImports(file: string, text: string): ImportRef[] {
  return scan(file, text).imports;
}

interface Scan {
  readonly imports: ImportRef[];
  readonly globals: { readonly name: 'process' | 'console'; readonly line: number }[];
}

function scan(file: string, text: string): Scan {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: Scan = { imports: [], globals: [] };
  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const add = (node: ts.Node, specifier: ts.Node | undefined, kind: ImportKind): void => {
    const literal = specifier !== undefined && ts.isStringLiteralLike(specifier);
    out.imports.push({ from: file, specifier: literal ? specifier.text : '<computed>', line: lineOf(node), kind });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly ? 'import type' : 'import');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      add(node, node.moduleSpecifier, 'export from');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, 'require');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], 'dynamic import');
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      add(node, node.arguments[0], 'require');
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, 'type query');
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)
      && (node.expression.text === 'process' || node.expression.text === 'console')) {
      out.globals.push({ name: node.expression.text, line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The file of the tree a relative specifier names (`./x.js` is `x.ts`), or undefined. */
export function resolveSpecifier(tree: SourceTree, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../') && specifier !== '.' && specifier !== '..') return undefined;
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  const stem = target.replace(/\.(js|jsx|mjs|cjs)$/, '');
  const ext = target.slice(stem.length);
  const candidates = ext === ''
    ? [target, `${target}.ts`, `${target}.tsx`, `${target}/index.ts`]
    : [`${stem}${ext === '.mjs' ? '.mts' : ext === '.cjs' ? '.cts' : '.ts'}`, `${stem}.tsx`, target];
  return candidates.find((c) => tree.has(c));
}

/** The layer a file belongs to: the layer with the longest path that contains it. */
export function layerOf(table: LayerTable, file: string): string | undefined {
  let best: { layer: string; length: number } | undefined;
  for (const [layer, rule] of Object.entries(table)) {
    for (const p of rule.paths) {
      const hit = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (hit && (best === undefined || p.length > best.length)) best = { layer, length: p.length };
    }
  }
  return best?.layer;
}

export interface CheckOptions {
  /** Imports (`from -> to`, see {@link edgeKey}) left out of the cycle search. */
  readonly cycleExceptions?: ReadonlySet<string>;
}

/** Checks a source tree against a layer table: forbidden edges, cycles, effects, unplaced files. */
export function checkArchitecture(tree: SourceTree, table: LayerTable, options: CheckOptions = {}): ArchitectureFindings {
  const edges: ImportEdge[] = [];
  const unresolved: ImportRef[] = [];
  const effects: EffectUse[] = [];
  const files = [...tree.keys()].sort();
  for (const file of files) {
    const layer = layerOf(table, file);
    const rule = layer === undefined ? undefined : table[layer];
    const { imports, globals } = scan(file, tree.get(file) ?? '');
    for (const ref of imports) {
      if (isBuiltin(ref.specifier)) {
        if (layer !== undefined && rule?.effects === 'pure') effects.push({ file, layer, what: ref.specifier, line: ref.line });
        continue;
      }
      const to = resolveSpecifier(tree, file, ref.specifier);
      if (to !== undefined) edges.push({ ...ref, to });
      else if (ref.specifier.startsWith('.') || ref.specifier === '<computed>') unresolved.push(ref);
    }
    for (const g of globals) {
      const allowed = rule === undefined || rule.effects === 'process' || (rule.effects === 'io' && g.name === 'console');
      if (!allowed && layer !== undefined) effects.push({ file, layer, what: g.name, line: g.line });
    }
  }
  const cyclic = edges.filter((e) => !(options.cycleExceptions?.has(edgeKey(e)) ?? false));
  return {
    edges,
    forbidden: forbiddenEdges(table, edges),
    fileCycles: fileCycles(files, cyclic),
    folderCycles: folderCycles(cyclic),
    effects,
    unplaced: files.filter((f) => layerOf(table, f) === undefined),
    unresolved,
  };
}

function forbiddenEdges(table: LayerTable, edges: readonly ImportEdge[]): LayerViolation[] {
  const out: LayerViolation[] = [];
  for (const edge of edges) {
    const fromLayer = layerOf(table, edge.from);
    const toLayer = layerOf(table, edge.to);
    if (fromLayer === undefined || toLayer === undefined || fromLayer === toLayer) continue;
    if (!(table[fromLayer]?.mayImport ?? []).includes(toLayer)) out.push({ ...edge, fromLayer, toLayer });
  }
  return out;
}

/** Strongly connected components of the file graph with more than one file, or a file importing itself. */
function fileCycles(files: readonly string[], edges: readonly ImportEdge[]): Cycle[] {
  const graph = adjacency(files, edges.map((e) => [e.from, e.to] as const));
  return components(graph)
    .filter((c) => c.length > 1 || graph.get(c[0] as string)?.has(c[0] as string))
    .map((members) => ({ folder: commonFolder(members), members, path: closedWalk(graph, members).join(' -> '), witnesses: [] }));
}

/**
 * Cycles between the parts of a folder: for every import a -> b, the parts are the children of a's and
 * b's deepest common folder that hold a and b (a file or a subfolder). Parts that are all files are left
 * to `fileCycles`; a part that is a folder is written with a trailing `/`.
 */
function folderCycles(edges: readonly ImportEdge[]): Cycle[] {
  const byFolder = new Map<string, Map<string, string>>();
  for (const edge of edges) {
    const parts = folderParts(edge);
    if (parts === undefined) continue;
    const witnesses = byFolder.get(parts.folder) ?? new Map<string, string>();
    byFolder.set(parts.folder, witnesses);
    const key = `${parts.from}\0${parts.to}`;
    if (!witnesses.has(key)) witnesses.set(key, edgeKey(edge));
  }
  const out: Cycle[] = [];
  for (const [folder, witnesses] of [...byFolder].sort(([x], [y]) => x.localeCompare(y))) {
    const pairs = [...witnesses.keys()].map((k) => k.split('\0') as [string, string]);
    const graph = adjacency(pairs.flat(), pairs);
    for (const members of components(graph).filter((c) => c.length > 1)) {
      const walk = closedWalk(graph, members);
      out.push({
        folder, members, path: walk.join(' -> '),
        witnesses: walk.slice(1).map((to, k) => witnesses.get(`${walk[k]}\0${to}`) as string),
      });
    }
  }
  return out;
}

/**
 * The parts of their deepest common folder that an import joins (`core/resolve/`, `core/mesh-index.ts`),
 * or undefined when both files sit in one part or both parts are files.
 */
export function folderParts(edge: { readonly from: string; readonly to: string }): { folder: string; from: string; to: string } | undefined {
  const a = edge.from.split('/');
  const b = edge.to.split('/');
  let i = 0;
  while (i < a.length - 1 && i < b.length - 1 && a[i] === b[i]) i++;
  const prefix = a.slice(0, i).map((x) => `${x}/`).join('');
  const from = prefix + (a.length - 1 > i ? `${a[i]}/` : (a[i] as string));
  const to = prefix + (b.length - 1 > i ? `${b[i]}/` : (b[i] as string));
  if (from === to || (!from.endsWith('/') && !to.endsWith('/'))) return undefined;
  return { folder: a.slice(0, i).join('/'), from, to };
}

/** `from -> to`, the way exceptions and witnesses name an import. */
export function edgeKey(edge: { readonly from: string; readonly to: string }): string {
  return `${edge.from} -> ${edge.to}`;
}

/** Whether an import lies on one of the cycles found: both files in one file cycle, or both parts in one folder cycle. */
export function onCycle(findings: ArchitectureFindings, edge: { readonly from: string; readonly to: string }): boolean {
  if (findings.fileCycles.some((c) => c.members.includes(edge.from) && c.members.includes(edge.to))) return true;
  const parts = folderParts(edge);
  return parts !== undefined
    && findings.folderCycles.some((c) => c.folder === parts.folder && c.members.includes(parts.from) && c.members.includes(parts.to));
}

function commonFolder(files: readonly string[]): string {
  const parts = files.map((f) => f.split('/').slice(0, -1));
  const first = parts[0] ?? [];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join('/');
}

/** Reads every `.ts` file under a folder into a {@link SourceTree} (paths relative to it). */
export function readSourceTree(root: string): SourceTree {
  const tree = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) tree.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return tree;
}
