import type { SuggestedPolicy, SuggestedRule } from '../model/suggestion.js';

/** A suggested policy as the AuthorizationPolicy object `kubectl apply` takes (security.istio.io/v1). */
export function policyManifest(policy: SuggestedPolicy): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (policy.selector) spec['selector'] = { matchLabels: { ...policy.selector } };
  if (policy.targetRef) spec['targetRefs'] = [{ kind: policy.targetRef.kind, group: policy.targetRef.group, name: policy.targetRef.name }];
  spec['action'] = 'ALLOW';
  spec['rules'] = policy.rules.map(ruleManifest);
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: {
      name: policy.name, namespace: policy.namespace,
      ...(policy.suppress ? { annotations: { 'galley.istio.io/analyze-suppress': policy.suppress.codes.join(',') } } : {}),
    },
    spec,
  };
}

function ruleManifest(rule: SuggestedRule): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (rule.from.length > 0) out['from'] = rule.from.map((source) => ({ source: withoutEmpty(source) }));
  if (rule.to.length > 0) out['to'] = rule.to.map((operation) => ({ operation: withoutEmpty(operation) }));
  return out;
}

function withoutEmpty(fields: object): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const [k, v] of Object.entries(fields) as [string, readonly string[] | undefined][]) if (v && v.length > 0) out[k] = [...v];
  return out;
}
