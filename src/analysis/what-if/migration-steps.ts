import type { Gateway, PeerAuthentication } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { WhatIfStep } from '../../model/scenario.js';
import { stableAddress } from '../../match/stable-address.js';
import { editLabels, editWorkloads, labelNamespace, relabel } from './object-edits.js';
import type { ObjectStore } from './object-store.js';

/** What one step did to the objects it was given: problems found, and one line per change for reports. */
export interface StepOutcome {
  readonly diagnostics: Diagnostic[];
  readonly notes: string[];
}

type Step<K extends WhatIfStep['kind']> = Extract<WhatIfStep, { kind: K }>;

/** Istio label and annotation names the migration moves write (istio/istio:pkg/config/constants, labels). */
export const DATAPLANE_MODE = 'istio.io/dataplane-mode';
export const USE_WAYPOINT = 'istio.io/use-waypoint';
export const USE_WAYPOINT_NAMESPACE = 'istio.io/use-waypoint-namespace';
export const WAYPOINT_FOR = 'istio.io/waypoint-for';
const SIDECAR_STATUS = 'sidecar.istio.io/status';
const SIDECAR_INJECT = 'sidecar.istio.io/inject';
const INJECTION_LABELS = ['istio-injection', 'istio.io/rev'];

/** `ambient`: the namespace label the CNI's default enablement selector reads (cni/pkg/util/enablement_selector.go). */
export function enrollAmbient(objects: ObjectStore, step: Step<'ambient'>): StepOutcome {
  const created = step.enabled
    ? labelNamespace(objects, step.namespace, { [DATAPLANE_MODE]: 'ambient' }, [], step.source)
    : labelNamespace(objects, step.namespace, {}, [DATAPLANE_MODE], step.source);
  return { diagnostics: [], notes: [`${step.enabled ? 'labelled' : 'unlabelled'} Namespace ${step.namespace} ${DATAPLANE_MODE}${step.enabled ? '=ambient' : ''}${created ? ' (created)' : ''}`] };
}

/**
 * `useWaypoint`: `istio.io/use-waypoint` (plus `use-waypoint-namespace` for `ns/name`) on a namespace or
 * Service, as pilot/pkg/serviceregistry/ambient/waypoints.go `GetUseWaypoint` reads them.
 */
export function useWaypoint(objects: ObjectStore, step: Step<'useWaypoint'>): StepOutcome {
  const [wpNs, wpName] = step.waypoint.includes('/') ? step.waypoint.split('/', 2) as [string, string] : [undefined, step.waypoint];
  const set = { [USE_WAYPOINT]: wpName, ...(wpNs !== undefined ? { [USE_WAYPOINT_NAMESPACE]: wpNs } : {}) };
  const drop = wpNs === undefined ? [USE_WAYPOINT_NAMESPACE] : [];
  if ('namespace' in step.target) {
    labelNamespace(objects, step.target.namespace, set, drop, step.source);
    return { diagnostics: [], notes: [`labelled Namespace ${step.target.namespace} ${USE_WAYPOINT}=${step.waypoint}`] };
  }
  const [ns, name] = step.target.service.split('/', 2) as [string, string];
  if (!relabel(objects, { kind: 'Service', namespace: ns, name }, set, drop)) return missing(step.source, `useWaypoint: there is no Service ${step.target.service}`);
  return { diagnostics: [], notes: [`labelled Service ${step.target.service} ${USE_WAYPOINT}=${step.waypoint}`] };
}

/**
 * `addWaypoint`: the Gateway `istioctl waypoint apply` writes (istio/istio:istioctl/pkg/waypoint/waypoint.go:
 * class istio-waypoint, listener mesh/15008/HBONE, `--for` as `istio.io/waypoint-for`, `--enroll-namespace`),
 * with a status address so that it is ready (pilot/pkg/serviceregistry/ambient/waypoints.go needs one).
 */
export function addWaypoint(objects: ObjectStore, step: Step<'addWaypoint'>): StepOutcome {
  const taken = new Set(objects.values().flatMap((o) => (o.kind === 'Service' ? o.clusterIPs : o.kind === 'Gateway' ? o.statusAddresses : [])));
  const gateway: Gateway = {
    kind: 'Gateway',
    meta: {
      ref: { kind: 'Gateway', namespace: step.namespace, name: step.name }, source: step.source,
      labels: step.for !== undefined ? { [WAYPOINT_FOR]: step.for } : {}, annotations: {},
    },
    gatewayClassName: 'istio-waypoint',
    listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE', allowedRoutesFrom: 'Same' }],
    statusAddresses: [stableAddress('10.96', `waypoint/${step.namespace}/${step.name}`, taken)],
  };
  const existed = objects.put(gateway);
  const notes = [`${existed ? 'replaced' : 'added'} waypoint Gateway ${step.namespace}/${step.name}${step.for ? ` for ${step.for} traffic` : ''}, ready at ${gateway.statusAddresses[0]}`];
  if (step.enrollNamespace) {
    labelNamespace(objects, step.namespace, { [USE_WAYPOINT]: step.name }, [], step.source);
    notes.push(`labelled Namespace ${step.namespace} ${USE_WAYPOINT}=${step.name}`);
  }
  return { diagnostics: [], notes };
}

/**
 * `peerAuthentication`: a selector-less PeerAuthentication `default` in the namespace (the root namespace
 * makes it mesh-wide). Other selector-less ones there are removed, since istiod lets the oldest win
 * (pilot/pkg/serviceregistry/ambient/policies.go, architecture/ambient/peer-authentication.md).
 */
export function setPeerAuthentication(objects: ObjectStore, step: Step<'peerAuthentication'>): StepOutcome {
  const pa: PeerAuthentication = {
    kind: 'PeerAuthentication',
    meta: { ref: { kind: 'PeerAuthentication', namespace: step.namespace, name: 'default' }, source: step.source, labels: {}, annotations: {} },
    spec: { mtls: { mode: step.mode } },
  };
  const others = objects.values().filter((o) => o.kind === 'PeerAuthentication' && o.meta.ref.namespace === step.namespace && !o.spec.selector && o.meta.ref.name !== 'default');
  for (const o of others) objects.remove(o.meta.ref);
  objects.put(pa);
  const notes = [`set PeerAuthentication ${step.namespace}/default to ${step.mode}`, ...others.map((o) => `removed PeerAuthentication ${step.namespace}/${o.meta.ref.name} (a namespace has one selector-less PeerAuthentication)`)];
  return { diagnostics: [], notes };
}

/**
 * `removeSidecarInjection`: the namespace loses `istio-injection`/`istio.io/rev`; its pods restart without
 * the `sidecar.istio.io/status` annotation that marks an injected pod (pkg/kube/inject/webhook.go) and
 * without a `sidecar.istio.io/inject=true` opt-in.
 */
export function removeSidecarInjection(objects: ObjectStore, step: Step<'removeSidecarInjection'>): StepOutcome {
  labelNamespace(objects, step.namespace, {}, INJECTION_LABELS, step.source);
  editWorkloads(objects, step.namespace, (labels, annotations) => ({
    labels: labels[SIDECAR_INJECT] === 'true' ? editLabels(labels, {}, [SIDECAR_INJECT]) : labels,
    annotations: editLabels(annotations, {}, annotations[SIDECAR_INJECT] === 'true' ? [SIDECAR_STATUS, SIDECAR_INJECT] : [SIDECAR_STATUS]),
  }));
  return { diagnostics: [], notes: [`removed sidecar injection from namespace ${step.namespace} and restarted its pods without sidecars`] };
}

/** A step whose target does not exist: a warning, and nothing changes. */
export function missing(source: Step<'label'>['source'], message: string): StepOutcome {
  return {
    diagnostics: [{ severity: 'warning', code: 'what-if-target-missing', file: source.file, line: source.line, ...(source.column !== undefined ? { column: source.column } : {}), message: `${source.file}:${source.line}: ${message}; the step changes nothing` }],
    notes: [],
  };
}
