import { isMap, isScalar, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { withoutByteOrderMark } from '../byte-order-mark.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Flow } from '../../model/flow.js';
import type { Scenario, ScenarioTraffic } from '../../model/scenario.js';
import { flowFromEntry } from '../flows/flow-entry.js';
import { parseExpectations } from './parse-expectations.js';
import { parseWhatIfSteps } from './parse-what-if.js';
import { parseTimelineEntries, parseTimelineSettings } from './parse-timeline.js';
import {
  describeNode, field, keyNode, plain, positionOf, report, sourceOf, stringList, stringValue, textValue, warnUnknownKeys, writtenPaths, type NodeContext,
} from './yaml-nodes.js';
import { parserMessage } from '../excerpt.js';

/** The fields of a scenario file and of its `traffic` (schemas/scenario.schema.json lists the same). */
export const TOP_FIELDS = ['name', 'description', 'manifests', 'istiodEnv', 'traffic', 'whatIf', 'timeline', 'settings', 'expect'];
export const TRAFFIC_FIELDS = ['flows', 'trace', 'flowLog', 'generate'];

export interface ParsedScenario {
  /** Absent only when the file is not a YAML mapping at all. */
  readonly scenario?: Scenario;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses a scenario file (DESIGN.md "Scenario file") into a Scenario, with an error diagnostic
 * (file:line:column) for every malformed field. Paths stay as written, relative to `file`. Never throws.
 */
export function parseScenario(input: string, file: string): ParsedScenario {
  const text = withoutByteOrderMark(input);
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, logLevel: 'error' });
  const ctx: NodeContext = { file, text, counter, diagnostics: [] };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) report(ctx, { range: [e.pos[0]] }, parserMessage(e.message), 'yaml-syntax');
    return { diagnostics: ctx.diagnostics };
  }
  const root = doc.contents;
  if (!isMap(root)) {
    report(ctx, root, `a scenario file is a mapping with ${TOP_FIELDS.filter((f) => f !== 'description').join(', ')}, got ${describeNode(root)}`);
    return { diagnostics: ctx.diagnostics };
  }
  warnUnknownKeys(ctx, root, TOP_FIELDS, 'scenario');
  const whatIfNode = field(root, 'whatIf');
  const scenario: Scenario = {
    name: scenarioName(ctx, root),
    file,
    manifests: manifests(ctx, root),
    istiodEnv: istiodEnv(ctx, field(root, 'istiodEnv')),
    traffic: traffic(ctx, root),
    whatIf: whatIfNode === undefined || whatIfNode === null ? [] : parseWhatIfSteps(ctx, whatIfNode),
    hasWhatIf: whatIfNode !== undefined && whatIfNode !== null,
    expect: expectations(ctx, root),
    paths: pathsOf(ctx, root),
    ...timeline(ctx, root),
  };
  return { scenario, diagnostics: ctx.diagnostics };
}

/** `timeline:` and the `settings:` it runs with; `settings` without a timeline is reported, since nothing reads it. */
function timeline(ctx: NodeContext, root: YAMLMap): Pick<Scenario, 'timeline'> {
  const node = field(root, 'timeline');
  if (node === undefined || node === null) {
    if (field(root, 'settings') !== undefined) report(ctx, keyNode(root, 'settings'), 'settings applies to a timeline; this scenario has no timeline section', 'invalid-scenario', 'warning');
    return {};
  }
  return { timeline: { entries: parseTimelineEntries(ctx, node), settings: parseTimelineSettings(ctx, field(root, 'settings')) } };
}

/** Every path the scenario names outside `whatIf` (whose `apply` steps keep their own), with its position. */
function pathsOf(ctx: NodeContext, root: YAMLMap): Scenario['paths'] {
  const trafficNode = field(root, 'traffic');
  const inTraffic = (name: string) => (isMap(trafficNode) ? writtenPaths(ctx, field(trafficNode, name), `traffic.${name}`) : []);
  return [...writtenPaths(ctx, field(root, 'manifests'), 'manifests'), ...inTraffic('flows'), ...inTraffic('trace'), ...inTraffic('flowLog')];
}

function scenarioName(ctx: NodeContext, root: YAMLMap): string {
  const node = field(root, 'name');
  const name = stringValue(node);
  if (name !== undefined && name.trim() !== '') return name;
  report(ctx, node ?? keyNode(root, 'name') ?? root, `name is required and must be a string, got ${describeNode(node)}`);
  return ctx.file;
}

function manifests(ctx: NodeContext, root: YAMLMap): string[] {
  const node = field(root, 'manifests');
  if (node === undefined || node === null) {
    report(ctx, keyNode(root, 'manifests') ?? root, 'manifests is required: a list of manifest files or directories, relative to the scenario file');
    return [];
  }
  const list = stringList(ctx, node, 'manifests') ?? [];
  if (list.length === 0 && isSeq(node)) report(ctx, node, 'manifests lists no files or directories');
  return list;
}

function istiodEnv(ctx: NodeContext, node: unknown): Record<string, string> {
  if (node === undefined || node === null) return {};
  if (!isMap(node)) return report(ctx, node, `istiodEnv must be a mapping of variable to value, got ${describeNode(node)}`) ?? {};
  const env: Record<string, string> = {};
  for (const pair of node.items) {
    const key = textValue(pair.key);
    const value = textValue(pair.value);
    if (key === undefined || key === '' || value === undefined) report(ctx, pair.key, `istiodEnv.${key ?? '?'} must have a string value, got ${describeNode(pair.value)}`);
    else env[key] = value;
  }
  return env;
}

function traffic(ctx: NodeContext, root: YAMLMap): ScenarioTraffic {
  const node = field(root, 'traffic');
  const empty: ScenarioTraffic = { flowFiles: [], inlineFlows: [] };
  if (!isMap(node)) return report(ctx, node ?? keyNode(root, 'traffic') ?? root, `traffic is required: a mapping with flows (a file or an inline list), got ${describeNode(node)}`) ?? empty;
  warnUnknownKeys(ctx, node, TRAFFIC_FIELDS, 'traffic');
  const generate = generateOf(ctx, field(node, 'generate'));
  const recorded = {
    traceFiles: recordingFiles(ctx, field(node, 'trace'), 'traffic.trace'),
    flowLogFiles: recordingFiles(ctx, field(node, 'flowLog'), 'traffic.flowLog'),
  };
  const flowsNode = field(node, 'flows');
  if (flowsNode === undefined || flowsNode === null) {
    if (generate || recorded.traceFiles.length > 0 || recorded.flowLogFiles.length > 0) return { ...empty, ...recorded, ...(generate ? { generate } : {}) };
    report(ctx, keyNode(node, 'flows') ?? node, 'traffic needs flows (a flows file, or an inline list of flows), trace, flowLog or generate: { count, seed }');
    return empty;
  }
  return { ...flowsOf(ctx, flowsNode), ...recorded, ...(generate ? { generate } : {}) };
}

/** `trace: capture.pcap` or a list of files (captures, or flow logs for `flowLog`). */
function recordingFiles(ctx: NodeContext, node: unknown, what: string): string[] {
  if (node === undefined || node === null) return [];
  return stringList(ctx, node, what) ?? [];
}

/** `generate: { count, seed, undeclaredPorts }`: count a positive integer, seed an integer (default 0, so CI runs repeat), undeclaredPorts a boolean (default false). */
function generateOf(ctx: NodeContext, node: unknown): ScenarioTraffic['generate'] {
  if (node === undefined || node === null) return undefined;
  if (!isMap(node)) return report(ctx, node, `traffic.generate must be { count, seed }, got ${describeNode(node)}`);
  warnUnknownKeys(ctx, node, ['count', 'seed', 'undeclaredPorts'], 'traffic.generate');
  const count = numberOf(field(node, 'count'));
  if (count === undefined || count < 1) return report(ctx, field(node, 'count') ?? node, 'traffic.generate.count must be a positive integer');
  const seedNode = field(node, 'seed');
  const seed = seedNode === undefined ? 0 : numberOf(seedNode);
  if (seed === undefined || Math.abs(seed) >= 2 ** 31) return report(ctx, seedNode, 'traffic.generate.seed must be an integer');
  const undeclaredNode = field(node, 'undeclaredPorts');
  const undeclared = isScalar(undeclaredNode) ? undeclaredNode.value : undefined;
  if (undeclaredNode !== undefined && typeof undeclared !== 'boolean') return report(ctx, undeclaredNode, 'traffic.generate.undeclaredPorts must be true or false');
  return { count, seed, ...(undeclared === true ? { undeclaredPorts: true } : {}), source: sourceOf(ctx, node) };
}

function numberOf(node: unknown): number | undefined {
  const value = isScalar(node) ? node.value : undefined;
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/** `flows: file.yaml`, `flows: [a.yaml, b.yaml]`, or an inline list of flows in the flows-file format. */
function flowsOf(ctx: NodeContext, node: unknown): ScenarioTraffic {
  const single = stringValue(node);
  if (single !== undefined) return { flowFiles: [single], inlineFlows: [] };
  if (!isSeq(node)) return report(ctx, node, `traffic.flows must be a flows file or a list of flows, got ${describeNode(node)}`) ?? { flowFiles: [], inlineFlows: [] };
  const flowFiles: string[] = [];
  const inlineFlows: Flow[] = [];
  node.items.forEach((item, index) => {
    const path = stringValue(item);
    if (path !== undefined) {
      flowFiles.push(path);
      return;
    }
    const r = flowFromEntry(plain(item), { file: ctx.file, line: positionOf(ctx, item).line, index, kind: 'flows-file' });
    for (const d of r.diagnostics) ctx.diagnostics.push(d);
    if (r.flow) inlineFlows.push(r.flow);
  });
  const seen = new Set<string>();
  for (const f of inlineFlows) {
    const line = f.origin?.source?.line ?? 1;
    if (seen.has(f.id)) {
      ctx.diagnostics.push({ severity: 'warning', code: 'duplicate-flow-id', file: ctx.file, line, message: `${ctx.file}:${line}: flow id "${f.id}" is used again; expectations and diffs are joined on id` });
    }
    seen.add(f.id);
  }
  return { flowFiles, inlineFlows };
}

function expectations(ctx: NodeContext, root: YAMLMap): Scenario['expect'] {
  const node = field(root, 'expect');
  if (node === undefined || node === null) {
    report(ctx, keyNode(root, 'expect') ?? root, 'scenario has no expect list: it can never fail', 'no-expectations', 'warning');
    return [];
  }
  return parseExpectations(ctx, node);
}
