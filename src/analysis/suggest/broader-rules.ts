import type { AuthorizationPolicy } from '../../model/cluster.js';
import type { PolicyCoverage } from '../../model/coverage.js';
import type { FlowResult } from '../../model/result.js';
import type { BroaderRule } from '../../model/suggestion.js';

/**
 * Existing ALLOW rules broader than the observed traffic needs: enforced rules no flow hit (every
 * flow they admit is one nobody sent); rules istiod drops for ztunnel because of HTTP attributes
 * (pilot/pkg/serviceregistry/ambient/authorization.go), which admit nothing where they were meant to;
 * and rules that admitted observed flows while naming no source (`from` absent: any peer, plaintext
 * included) or no operation (`to` absent: every port and request), where the flows came from a few
 * sources only. `coverage` and `results` are of the cluster as given.
 */
export function broaderRules(coverage: PolicyCoverage, policies: readonly AuthorizationPolicy[], results: readonly FlowResult[]): BroaderRule[] {
  const out: BroaderRule[] = [];
  for (const r of coverage.unhit) if (r.action === 'ALLOW') out.push({ policy: r.policy, rule: r.rule, enforcedBy: r.enforcedBy, why: 'no-flow-hit' });
  for (const r of coverage.dropped) if (r.action === 'ALLOW') out.push({ policy: r.policy, rule: r.rule, enforcedBy: r.enforcedBy, why: 'dropped-for-ztunnel' });
  const sources = sourcesByRule(results);
  for (const p of policies) {
    if ((p.spec.action ?? 'ALLOW') !== 'ALLOW') continue;
    const key = `${p.meta.ref.namespace ?? 'default'}/${p.meta.ref.name}`;
    const enforcedBy = (p.spec.targetRefs?.length ?? 0) > 0 ? 'waypoint' : 'ztunnel';
    (p.spec.rules ?? []).forEach((rule, i) => {
      const seen = sources.get(`${key}#${i}`);
      if (!seen) return;
      const list = [...seen].sort();
      if ((rule.from?.length ?? 0) === 0) out.push({ policy: key, rule: i, enforcedBy, why: 'any-source', sources: list });
      if ((rule.to?.length ?? 0) === 0) out.push({ policy: key, rule: i, enforcedBy, why: 'any-operation', sources: list });
    });
  }
  return out;
}

/** The sources of the allowed flows each ALLOW rule decided, by `policy#rule`. */
function sourcesByRule(results: readonly FlowResult[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of results) {
    if (r.verdict !== 'allow' || r.policy === null || r.rule === null) continue;
    const key = `${r.policy}#${r.rule}`;
    const set = out.get(key) ?? new Set<string>();
    set.add(r.source);
    out.set(key, set);
  }
  return out;
}
