import type { PolicyCoverage } from '../../model/coverage.js';
import type { BroaderRule } from '../../model/suggestion.js';

/**
 * Existing ALLOW rules broader than the observed traffic needs: enforced rules no flow hit (every
 * flow they admit is one nobody sent), and rules istiod drops for ztunnel because of HTTP attributes
 * (pilot/pkg/serviceregistry/ambient/authorization.go), which admit nothing where they were meant to.
 * Suggested policies are not among them: `coverage` is of the cluster as given.
 */
export function broaderRules(coverage: PolicyCoverage): BroaderRule[] {
  const out: BroaderRule[] = [];
  for (const r of coverage.unhit) if (r.action === 'ALLOW') out.push({ policy: r.policy, rule: r.rule, enforcedBy: r.enforcedBy, why: 'no-flow-hit' });
  for (const r of coverage.dropped) if (r.action === 'ALLOW') out.push({ policy: r.policy, rule: r.rule, enforcedBy: r.enforcedBy, why: 'dropped-for-ztunnel' });
  return out;
}
