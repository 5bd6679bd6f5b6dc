import type { ResultDiff } from '../../model/diff.js';
import type { DiffGraph, DiffGraphEdge, EdgeChange, EdgeTally, GraphNode } from './traffic-graph.js';
import { NO_DIRECTORY, type GraphDirectory } from './graph-directory.js';
import { compareNodes, groupsOf, TrafficGraphBuilder } from './graph-builder.js';
import { compareText } from './edge-tally.js';

interface ChangeCounter {
  allowedToDenied: number;
  deniedToAllowed: number;
  encryptedToPlaintext: number;
  plaintextToEncrypted: number;
}

/**
 * The graph of a diff: the flows that differ (changed, only before, only after) drawn once as they
 * ran before and once after, joined on the edge id, each edge with how many of its flows changed
 * verdict or encryption. Unchanged flows are not in a ResultDiff, so they are not in the graph.
 * Memory grows with the distinct edges of the differing flows.
 */
export function diffGraph(diff: ResultDiff, directory: GraphDirectory = NO_DIRECTORY): DiffGraph {
  const before = new TrafficGraphBuilder(directory);
  const after = new TrafficGraphBuilder(directory);
  const changes = new Map<string, ChangeCounter>();
  for (const change of diff.changed) {
    const id = before.add(change.before);
    after.add(change.after);
    const counter = changes.get(id) ?? { allowedToDenied: 0, deniedToAllowed: 0, encryptedToPlaintext: 0, plaintextToEncrypted: 0 };
    for (const kind of change.kinds) {
      if (kind === 'allowed-to-denied') counter.allowedToDenied++;
      else if (kind === 'denied-to-allowed') counter.deniedToAllowed++;
      else if (kind === 'encrypted-to-plaintext') counter.encryptedToPlaintext++;
      else if (kind === 'plaintext-to-encrypted') counter.plaintextToEncrypted++;
    }
    changes.set(id, counter);
  }
  for (const r of diff.removed) before.add(r);
  for (const r of diff.added) after.add(r);
  return joinSides(before, after, changes);
}

function joinSides(beforeBuilder: TrafficGraphBuilder, afterBuilder: TrafficGraphBuilder, changes: ReadonlyMap<string, ChangeCounter>): DiffGraph {
  const before = beforeBuilder.graph();
  const after = afterBuilder.graph();
  const nodes = new Map<string, GraphNode>();
  for (const n of [...before.nodes, ...after.nodes]) {
    const seen = nodes.get(n.id);
    nodes.set(n.id, seen ? { ...seen, k8sNodes: [...new Set([...seen.k8sNodes, ...n.k8sNodes])].sort(compareText) } : n);
  }
  const edges = new Map<string, { source: string; target: string; before: EdgeTally | null; after: EdgeTally | null }>();
  for (const { id, source, target, ...tally } of before.edges) edges.set(id, { source, target, before: tally, after: null });
  for (const { id, source, target, ...tally } of after.edges) {
    const seen = edges.get(id);
    if (seen) seen.after = tally;
    else edges.set(id, { source, target, before: null, after: tally });
  }
  const joined: DiffGraphEdge[] = [...edges].map(([id, e]) => {
    const c = changes.get(id) ?? { allowedToDenied: 0, deniedToAllowed: 0, encryptedToPlaintext: 0, plaintextToEncrypted: 0 };
    return { id, source: e.source, target: e.target, before: e.before, after: e.after, ...c, change: changeOf(e.before, e.after, c) };
  }).sort((a, b) => compareText(a.source, b.source) || compareText(a.target, b.target));
  const sorted = [...nodes.values()].sort(compareNodes);
  return { nodes: sorted, edges: joined, ...groupsOf(sorted) };
}

function changeOf(before: EdgeTally | null, after: EdgeTally | null, c: ChangeCounter): EdgeChange {
  if (c.allowedToDenied + c.deniedToAllowed + c.encryptedToPlaintext + c.plaintextToEncrypted > 0) return 'changed';
  if (before === null) return 'added';
  if (after === null) return 'removed';
  return 'other';
}
