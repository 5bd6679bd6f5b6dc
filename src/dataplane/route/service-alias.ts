import type { MeshService } from '../../model/mesh.js';
import type { MeshIndex } from '../mesh-index.js';

/** Where a client that follows an ExternalName Service's DNS alias ends up. */
export type AliasTarget =
  | { readonly kind: 'service'; readonly service: MeshService }
  | { readonly kind: 'ip'; readonly ip: string }
  | { readonly kind: 'external'; readonly host: string }
  | { readonly kind: 'unresolved'; readonly why: string };

/** More aliases than any resolver follows: a loop. */
const MAX_ALIASES = 8;

const CLUSTER_SERVICE_NAME = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc\.cluster\.local$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * An ExternalName Service is a DNS CNAME to `spec.externalName`: it has no VIP and no endpoints, and
 * istiod gives ztunnel no Service for it ("ExternalName services are not implemented by ambient (but
 * will still work)": pilot/pkg/serviceregistry/kube/controller/ambient/services.go
 * `serviceServiceBuilder`). The client resolves the alias and connects to what it names: a Service of
 * the cluster (`<name>.<namespace>.svc.cluster.local`, the default cluster domain), an address, or a
 * name outside the cluster. CNAME targets are absolute names, so no search path applies.
 */
export function followExternalName(svc: MeshService, index: MeshIndex): AliasTarget {
  let current = svc;
  for (let hops = 0; hops < MAX_ALIASES; hops++) {
    const name = (current.externalName ?? '').toLowerCase().replace(/\.$/, '');
    if (IPV4.test(name) || name.includes(':')) return { kind: 'ip', ip: name };
    const inCluster = CLUSTER_SERVICE_NAME.exec(name);
    if (inCluster === null) {
      if (name === '' || name.endsWith('.cluster.local')) return { kind: 'unresolved', why: `ExternalName Service ${current.key} names "${name}", which no Service of the manifests answers` };
      return { kind: 'external', host: name };
    }
    const target = index.serviceByKey.get(`${inCluster[2]}/${inCluster[1]}`);
    if (target === undefined) return { kind: 'unresolved', why: `ExternalName Service ${current.key} names ${name}, which is not in the manifests` };
    if (target.externalName === undefined) return { kind: 'service', service: target };
    current = target;
  }
  return { kind: 'unresolved', why: `ExternalName Service ${svc.key} is an alias in a loop of ExternalName Services` };
}
