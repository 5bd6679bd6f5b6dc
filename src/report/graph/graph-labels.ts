import type { DiffGraphEdge, EdgeTally, GraphNode, GraphNodeKind } from './traffic-graph.js';

/** The English of the graph reports (DOT, mermaid), shared so both say the same. */

const KIND_TEXT: Record<GraphNodeKind, string> = {
  workload: 'workload', service: 'Service', waypoint: 'waypoint', 'k8s-node': 'node', address: 'address', namespace: 'namespace',
};

/** A node's label lines: its name (without the namespace its group shows), what it is, and where it runs. */
export function nodeLines(node: GraphNode): string[] {
  const prefix = node.namespace === null ? '' : `${node.namespace}/`;
  const short = node.name.startsWith(prefix) ? node.name.slice(prefix.length) : node.name;
  const lines = [node.kind === 'workload' || node.kind === 'address' || node.kind === 'namespace' ? short : `${KIND_TEXT[node.kind]} ${short}`];
  if (node.kind === 'address' && node.name === '*') lines[0] = 'other addresses';
  if (node.kind === 'k8s-node' && node.name === '*') lines[0] = 'Kubernetes nodes';
  if (node.enrollment !== undefined && node.enrollment !== 'ambient') lines.push(node.enrollment === 'none' ? 'out of mesh' : node.enrollment);
  if (node.kind !== 'k8s-node' && node.k8sNodes.length > 0) lines.push(`on ${listed(node.k8sNodes, 3)}`);
  return lines;
}

/** The full name and kind of a node, for a tooltip. */
export function nodeTitle(node: GraphNode): string {
  return `${KIND_TEXT[node.kind]} ${node.name}`;
}

/** An edge's label: ports, verdicts and encryption, e.g. `:80 · 3 allowed, 1 denied · mTLS`. */
export function tallyText(t: EdgeTally): string {
  const ports = t.ports.length === 0 ? '' : `:${listed(t.ports.map(String), 3)} · `;
  return `${ports}${verdictText(t)} · ${encryptionText(t)}`;
}

export function verdictText(t: EdgeTally): string {
  if (t.verdict === 'allowed') return `${t.allowed} allowed`;
  if (t.verdict === 'denied') return `${t.denied} denied`;
  return `${t.allowed} allowed, ${t.denied} denied`;
}

export function encryptionText(t: EdgeTally): string {
  if (t.encryption === 'mtls') return 'mTLS';
  if (t.encryption === 'plaintext') return 'plaintext';
  return `${t.encrypted} mTLS, ${t.plaintext} plaintext`;
}

/** Who decided and by which policies, for a tooltip. */
export function decisionText(t: EdgeTally): string {
  const policies = t.policies.length === 0 ? 'no policy' : `policy ${listed(t.policies, 5)}`;
  return `decided by ${listed(t.decidedBy, 5)}; ${policies}`;
}

/** Up to `n` values joined by commas, then how many more. */
export function listed(values: readonly string[], n: number): string {
  return values.length <= n ? values.join(', ') : `${values.slice(0, n).join(', ')} and ${values.length - n} more`;
}

/** Colours by verdict (allowed green, denied red, mixed amber), readable on white and on GitHub's dark theme. */
export const VERDICT_COLOUR = { allowed: '#2e7d32', denied: '#c62828', mixed: '#ef6c00' } as const;

/** A diff edge's label lines: what changed on it, then the edge before and after. */
export function diffEdgeLines(e: DiffGraphEdge): string[] {
  const changes: string[] = [];
  if (e.allowedToDenied > 0) changes.push(`${e.allowedToDenied} allowed → denied`);
  if (e.deniedToAllowed > 0) changes.push(`${e.deniedToAllowed} denied → allowed`);
  if (e.encryptedToPlaintext > 0) changes.push(`${e.encryptedToPlaintext} mTLS → plaintext`);
  if (e.plaintextToEncrypted > 0) changes.push(`${e.plaintextToEncrypted} plaintext → mTLS`);
  if (e.change === 'added') changes.push('only after');
  if (e.change === 'removed') changes.push('only before');
  if (e.change === 'other') changes.push('decision or policy moved');
  return [changes.join(', '), `before: ${e.before ? tallyText(e.before) : 'no flows'}`, `after: ${e.after ? tallyText(e.after) : 'no flows'}`];
}

/** Colours by kind of change: verdict or encryption changed red, only after blue, only before and other grey. */
export const CHANGE_COLOUR = { changed: '#c62828', added: '#1565c0', removed: '#757575', other: '#757575' } as const;
