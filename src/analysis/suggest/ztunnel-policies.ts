import type { MeshIndex } from '../../dataplane/mesh-index.js';
import { labelsMatch } from '../../match/labels.js';
import type { Labels } from '../../model/labels.js';
import type { Workload } from '../../model/mesh.js';
import type { SuggestedPolicy, SuggestedRule, SuggestionNote } from '../../model/suggestion.js';
import type { Sighting } from './observations.js';
import { clientsByPrincipal, evidenceOf, fromEntries, groupBy, policyName, seenSource, type SeenSource } from './sources.js';

/** Labels a controller sets per pod, which no selector of the workload should name. */
const PER_POD = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index', 'batch.kubernetes.io/controller-uid', 'controller-uid', 'batch.kubernetes.io/job-name', 'job-name']);

/**
 * Selector ALLOW policies at the destination ztunnel (or sidecar), one per destination workload (its
 * controller's pods together): rules name the principals (or whole namespaces) and the container ports
 * seen there, the waypoint's principal for traffic that came through a waypoint (the destination
 * ztunnel sees the waypoint's identity: istio.io docs ambient/usage/l4-policy, "waypoint proxies do
 * not impersonate src identity"), and ipBlocks for plaintext clients, which have no principal. No
 * HTTP attribute is written here: istiod drops an ALLOW rule with one for ztunnel
 * (pilot/pkg/serviceregistry/ambient/authorization.go `convertAuthorizationPolicy`).
 */
export function ztunnelPolicies(index: MeshIndex, sightings: readonly Sighting[], notes: SuggestionNote[]): SuggestedPolicy[] {
  const destination = sightings.filter((s) => s.workload && (s.checkpoint.component === 'destination-ztunnel' || s.checkpoint.component === 'sidecar'));
  const out: SuggestedPolicy[] = [];
  for (const group of groupBy(destination, (s) => groupKey(s.workload as Workload)).values()) {
    const workload = (group[0] as Sighting).workload as Workload;
    const members = index.workloadsByController.get(workload.controller ?? '') ?? [workload];
    const selector = selectorFor(index, members);
    if (!selector) {
      notes.push({ kind: 'unselectable', workload: workload.uid });
      continue;
    }
    const name = workload.controller ? (workload.controller.split('/')[1] as string) : workload.name;
    const rules = rulesFor(index, group);
    out.push({
      namespace: workload.namespace, name: policyName(name, 'ztunnel'), enforcedBy: 'ztunnel', selector,
      protects: members.map((m) => m.uid), rules, evidence: evidenceOf(group),
      ...(rules.some((r) => r.from.some((f) => f.ipBlocks)) ? {} : { suppress: NO_PLAINTEXT_SEEN }),
    });
    plaintextNote(group, workload, notes);
  }
  return out;
}

/**
 * Every rule names an identity, so plaintext clients are denied (rbac.rs: principal and namespace
 * matches need `src_identity`): on purpose, since none was observed; the lint that warns of it is answered.
 */
const NO_PLAINTEXT_SEEN = {
  codes: ['identity-rules-exclude-plaintext'],
  why: 'no plaintext client was observed calling these workloads, so plaintext is denied on purpose',
};

function groupKey(w: Workload): string {
  return w.controller ? `c:${w.controller}` : `w:${w.uid}`;
}

type Category = 'clients' | 'waypoint' | 'plaintext';

/** Rules by category of source (clients, the waypoint, plaintext), each grouping ports seen from the same sources. */
function rulesFor(index: MeshIndex, group: readonly Sighting[]): SuggestedRule[] {
  const clients = clientsByPrincipal(group.filter((s) => !s.after), (s) => s.client);
  const rules: SuggestedRule[] = [];
  for (const category of ['clients', 'waypoint', 'plaintext'] as const) {
    const inCategory = group.filter((s) => categoryOf(s) === category);
    const sourcesByPort = new Map<number, SeenSource[]>();
    for (const s of inCategory) {
      const list = sourcesByPort.get(s.checkpoint.attributes.dstPort) ?? [];
      list.push(seenSource(s));
      sourcesByPort.set(s.checkpoint.attributes.dstPort, list);
    }
    const bySources = groupBy([...sourcesByPort].sort((a, b) => a[0] - b[0]), ([, sources]) => JSON.stringify(fromEntries(index, sources, clients)));
    for (const [from, ports] of bySources) {
      const why = category === 'waypoint' ? waypointWhy(inCategory) : category === 'plaintext' ? PLAINTEXT_WHY : undefined;
      rules.push({ from: JSON.parse(from), to: [{ ports: ports.map(([p]) => String(p)) }], ...(why ? { why } : {}) });
    }
  }
  return rules;
}

const PLAINTEXT_WHY = 'plaintext clients have no principal, so only their IPs can admit them; any pod that later holds one of these IPs is admitted too. Enrolling the clients in the mesh gives them an identity to name instead';

function categoryOf(s: Sighting): Category {
  if (s.after) return 'waypoint';
  return s.checkpoint.attributes.srcIdentity === null ? 'plaintext' : 'clients';
}

function waypointWhy(sightings: readonly Sighting[]): string {
  const waypoints = [...new Set(sightings.map((s) => s.after?.key ?? ''))].sort().join(', ');
  return `traffic through ${waypoints} reaches this ztunnel with the waypoint's identity, not the client's; the waypoint's own policy checks the clients`;
}

function plaintextNote(group: readonly Sighting[], workload: Workload, notes: SuggestionNote[]): void {
  const plain = group.filter((s) => categoryOf(s) === 'plaintext');
  if (plain.length === 0) return;
  const clients = [...new Set(plain.map((s) => (s.client === s.checkpoint.attributes.srcIp ? s.client : `${s.client} (${s.checkpoint.attributes.srcIp})`)))].sort();
  notes.push({ kind: 'plaintext-clients', destination: workload.controller ?? workload.uid, clients, flows: new Set(plain.map((s) => s.flow.id)).size });
}

/**
 * matchLabels that select the workload's pods: `app` (or `app.kubernetes.io/name`) alone when it
 * selects exactly them in the namespace, else every label the pods share; undefined when they share none.
 */
function selectorFor(index: MeshIndex, members: readonly Workload[]): Labels | undefined {
  const first = members[0];
  if (!first) return undefined;
  const common: Record<string, string> = {};
  for (const [k, v] of Object.entries(first.labels)) {
    if (!PER_POD.has(k) && members.every((m) => m.labels[k] === v)) common[k] = v;
  }
  if (Object.keys(common).length === 0) return undefined;
  const uids = new Set(members.map((m) => m.uid));
  const peers = index.mesh.workloads.filter((w) => w.namespace === first.namespace);
  for (const key of ['app', 'app.kubernetes.io/name']) {
    const value = common[key];
    if (value === undefined) continue;
    const one = { [key]: value };
    if (peers.every((w) => labelsMatch(one, w.labels) === uids.has(w.uid))) return one;
  }
  return common;
}
