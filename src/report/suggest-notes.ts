import type { BroaderRule, SuggestionNote, SuggestionReplay } from '../model/suggestion.js';

/** The English for each note `suggest` makes: what to do, and the trade-off. */
export function noteText(note: SuggestionNote): string {
  switch (note.kind) {
    case 'plaintext-clients':
      return `${note.destination}: ${note.flows} flow(s) from plaintext clients ${note.clients.join(', ')}, which have no principal; the suggestion admits their IPs (ipBlocks), which any pod that later holds those IPs also passes. Enrol the clients in the mesh (istio.io/dataplane-mode=ambient) and name their principals instead`;
    case 'add-waypoint':
      return `${note.destinations.join(', ')} in namespace ${note.namespace} ${note.http ? 'take HTTP traffic but have no waypoint, so its HTTP rules cannot be enforced (ztunnel drops an ALLOW rule with HTTP attributes); admitted at L4 for now' : 'have no waypoint to enforce at'}. Add one (timeline or whatIf step "addWaypoint: { namespace: ${note.namespace} }", or istioctl waypoint apply -n ${note.namespace} --enroll-namespace) and run suggest again`;
    case 'waypoint-bypassed':
      return `${note.flows.length} HTTP flow(s) to ${note.destinations.join(', ')} skipped waypoint ${note.waypoint} (${note.flows.slice(0, 5).join(', ')}${note.flows.length > 5 ? ', ...' : ''}): addressed to a pod IP while the waypoint serves Services, so only ztunnel's L4 rule applies to them. Address the Service, or set istio.io/waypoint-for: all on the waypoint, to have their HTTP rules enforced`;
    case 'waypoint-identity-only':
      return `traffic to ${note.destinations.join(', ')} comes through waypoint ${note.waypoint}, so their ztunnel sees only the waypoint's identity: with --at ztunnel the clients themselves are not checked. Use --at auto or --at waypoint for rules at the waypoint`;
    case 'auto-allow-waypoint':
      return `PILOT_AUTO_ALLOW_WAYPOINT_POLICY is on: istiod already admits waypoint ${note.waypoint} at the ztunnels behind it; the suggested rule for the waypoint's identity repeats it and keeps working if the flag is turned off`;
    case 'denied-regardless':
      return `${note.flows.length} observed flow(s) are denied whatever AuthorizationPolicy says (${note.reason}): ${listSome(note.flows)}; no ALLOW can admit them`;
    case 'unselectable':
      return `${note.workload} has no labels to select it by: no ztunnel policy written for it`;
  }
}

/** One line per existing rule broader than the traffic needs. */
export function broaderText(rule: BroaderRule): string {
  const seen = rule.sources ? `observed only from ${listSome(rule.sources)}` : '';
  const why = {
    'no-flow-hit': 'no observed flow needed it',
    'dropped-for-ztunnel': 'istiod drops it for ztunnel (HTTP attributes), so it admits nothing there',
    'any-source': `it names no source, so it admits every peer (plaintext included); ${seen}`,
    'any-operation': `it names no operation, so it admits every port and request; ${seen}`,
  }[rule.why];
  return `existing ${rule.policy} rule ${rule.rule} (${rule.enforcedBy}): ${why}`;
}

/** The replay's figures in one paragraph. */
export function replayText(replay: SuggestionReplay): string[] {
  const o = replay.observed;
  const n = replay.nearMisses;
  const lines = [`replay: ${o.allowed}/${o.flows} observed flows allowed${o.denied.length > 0 ? `; DENIED: ${listSome(o.denied)} (a bug in the suggestion)` : ''}`];
  const kinds = Object.entries(n.byKind).filter(([, c]) => c.flows > 0).map(([k, c]) => `${k} ${c.denied}/${c.flows}`);
  lines.push(`near misses: ${n.denied}/${n.flows} denied${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`);
  lines.push(`validate: ${replay.validation.length === 0 ? 'no error or warning' : replay.validation.map((d) => `${d.severity} ${d.code}: ${d.message}`).join('; ')}`);
  return lines;
}

function listSome(items: readonly string[]): string {
  return items.length <= 5 ? items.join(', ') : `${items.slice(0, 5).join(', ')} and ${items.length - 5} more`;
}
