import { describe, expect, it } from 'vitest';
import { decideEnrollment, type EnrollmentInput } from '../../../src/core/resolve/enrollment.js';

const base: EnrollmentInput = {
  namespace: 'apps', namespaceLabels: {}, labels: {}, annotations: {}, hostNetwork: false, isWaypoint: false, sidecarInjected: false,
};
const AMBIENT = { 'istio.io/dataplane-mode': 'ambient' };
const NONE = { 'istio.io/dataplane-mode': 'none' };

// istio/istio:cni/pkg/util/enablement_selector.go CompiledEnablementSelectors.Matches with the default
// ambient.enablementSelectors (manifests/charts/istio-cni/values.yaml); cni/pkg/util/podutil_test.go
// TestEnablementSelectorMatches; exclusions from cni/pkg/nodeagent/informers.go.
describe('decideEnrollment() follows the CNI enablement selectors', () => {
  it.each([
    ['pod label ambient in an unlabelled namespace is captured (selector a)', {}, AMBIENT, {}, 'ambient', 'pod-label'],
    ['namespace label ambient captures an unlabelled pod (selector b)', AMBIENT, {}, {}, 'ambient', 'namespace-label'],
    ['pod label none opts out of an ambient namespace (selector b requires pod != none)', AMBIENT, NONE, {}, 'none', 'pod-opted-out'],
    ['pod label ambient wins in a namespace labelled none', NONE, AMBIENT, {}, 'ambient', 'pod-label'],
    ['no label anywhere is not captured', {}, {}, {}, 'none', 'not-labelled'],
    ['a sidecar-injected pod (sidecar.istio.io/status) is never captured: sidecar wins', AMBIENT, AMBIENT, { 'sidecar.istio.io/status': '{}' }, 'sidecar', 'sidecar-injected'],
  ] as const)('%s', (_name, nsLabels, labels, annotations, enrollment, reason) => {
    expect(decideEnrollment({ ...base, namespaceLabels: nsLabels, labels, annotations })).toEqual({ enrollment, reason });
  });

  it('never captures hostNetwork pods, whatever the labels', () => {
    expect(decideEnrollment({ ...base, labels: AMBIENT, hostNetwork: true })).toEqual({ enrollment: 'none', reason: 'host-network' });
  });

  it('never captures pods in kube-system (CNI excludeNamespaces default, informers.go isNamespaceExcluded)', () => {
    expect(decideEnrollment({ ...base, namespace: 'kube-system', namespaceLabels: AMBIENT, labels: AMBIENT }))
      .toEqual({ enrollment: 'none', reason: 'excluded-namespace' });
  });

  it('never captures waypoint pods (waypoint.yaml template sets istio.io/dataplane-mode: none)', () => {
    expect(decideEnrollment({ ...base, namespaceLabels: AMBIENT, isWaypoint: true })).toEqual({ enrollment: 'none', reason: 'waypoint-pod' });
  });
});
