import { describe, expect, it } from 'vitest';
import { decideEnrollment, injectorWouldInject, type EnrollmentInput, type InjectionInput } from '../../src/istiod/enrollment.js';

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

// manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml (namespace and object
// webhooks) and pkg/kube/inject/webhook.go injectRequired.
describe('injectorWouldInject() follows the injection webhooks', () => {
  const pod: InjectionInput = { namespace: 'apps', namespaceLabels: {}, labels: {}, annotations: {}, hostNetwork: false };
  it.each([
    ['namespace istio-injection=enabled injects', { 'istio-injection': 'enabled' }, {}, {}, true],
    ['namespace istio.io/rev injects', { 'istio.io/rev': 'canary' }, {}, {}, true],
    ['istio-injection=disabled wins over istio.io/rev', { 'istio-injection': 'disabled', 'istio.io/rev': 'canary' }, {}, {}, false],
    ['pod label inject=false opts out of an enabled namespace', { 'istio-injection': 'enabled' }, { 'sidecar.istio.io/inject': 'false' }, {}, false],
    ['pod annotation inject=false opts out too (injectRequired reads it)', { 'istio-injection': 'enabled' }, {}, { 'sidecar.istio.io/inject': 'false' }, false],
    ['pod label inject=true opts in where the namespace has no label', {}, { 'sidecar.istio.io/inject': 'true' }, {}, true],
    ['pod label inject=true does not override istio-injection=disabled', { 'istio-injection': 'disabled' }, { 'sidecar.istio.io/inject': 'true' }, {}, false],
    ['pod annotation inject=true alone does not call the webhook (its objectSelector reads labels)', {}, {}, { 'sidecar.istio.io/inject': 'true' }, false],
    ['no label anywhere does not inject', {}, {}, {}, false],
  ] as const)('%s', (_name, namespaceLabels, labels, annotations, expected) => {
    expect(injectorWouldInject({ ...pod, namespaceLabels, labels, annotations })).toBe(expected);
  });

  it('never injects hostNetwork pods nor pods in kube-system', () => {
    const enabled = { 'istio-injection': 'enabled' };
    expect(injectorWouldInject({ ...pod, namespaceLabels: enabled, hostNetwork: true })).toBe(false);
    expect(injectorWouldInject({ ...pod, namespace: 'kube-system', namespaceLabels: enabled })).toBe(false);
  });

  it('a pod the injector would inject runs a sidecar and is not captured, even with the ambient label', () => {
    expect(decideEnrollment({ ...base, namespaceLabels: AMBIENT, labels: AMBIENT, sidecarInjected: true })).toEqual({ enrollment: 'sidecar', reason: 'sidecar-injector' });
  });
});
