import type { LabelSelector } from '../../model/labels.js';
import type { PolicyTargetReference } from '../../model/policy.js';
import type { Reporter } from './report-problem.js';

const GATEWAY_API = 'gateway.networking.k8s.io';
const ALLOWED_TARGETS: readonly { group: string; kind: string }[] = [
  { group: '', kind: 'Service' }, { group: 'networking.istio.io', kind: 'ServiceEntry' },
  { group: GATEWAY_API, kind: 'Gateway' }, { group: GATEWAY_API, kind: 'GatewayClass' },
];

/** `validateWorkloadSelector`: label keys non-empty, no wildcards; empty matchLabels is a warning. */
export function validateSelector(r: Reporter, selector: LabelSelector | undefined): void {
  if (!selector) return;
  const labels = selector.matchLabels ?? {};
  if (Object.keys(labels).length === 0) r.warning('empty-selector', 'spec.selector', 'spec.selector has no matchLabels, so it selects every workload in the namespace; remove it if that is meant');
  for (const [k, v] of Object.entries(labels)) {
    if (k === '') r.error('invalid-selector', 'spec.selector.matchLabels', 'spec.selector.matchLabels has an empty key');
    if (k.includes('*') || v.includes('*')) r.error('invalid-selector', `spec.selector.matchLabels.${k}`, `wildcard is not supported in selector: "${k}: ${v}"`);
  }
}

/**
 * selector and targetRefs are exclusive; a targetRef names Service, ServiceEntry, Gateway or
 * GatewayClass in the policy's own namespace (validation.go `validatePolicyTargetReference(s)` and CEL rules).
 */
export function validateTargetRefs(r: Reporter, selector: LabelSelector | undefined, refs: readonly PolicyTargetReference[] | undefined, singular: boolean): void {
  const list = refs ?? [];
  if (selector && list.length > 0) r.error('selector-with-target-refs', 'spec.selector', 'only one of targetRefs or workloadSelector can be set');
  list.forEach((ref, i) => {
    const path = singular && i === 0 ? 'spec.targetRef' : `spec.targetRefs.${singular ? i - 1 : i}`;
    const group = ref.group ?? '';
    if (!ALLOWED_TARGETS.some((t) => t.group === group && t.kind === ref.kind)) {
      r.error('invalid-target-ref', path, `targetRef ${group ? `${group}/` : ''}${ref.kind} ${ref.name} is not supported; allowed: Service (group ""), ServiceEntry (networking.istio.io), Gateway and GatewayClass (${GATEWAY_API})`);
    }
    if (ref.namespace !== undefined && ref.namespace !== '') r.error('cross-namespace-target-ref', `${path}.namespace`, `targetRef namespace "${ref.namespace}" is not allowed: cross-namespace referencing is not supported; put the policy in the target's namespace`);
  });
}
