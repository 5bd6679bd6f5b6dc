import type { PeerAuthentication } from '../model/cluster.js';
import type { Labels } from '../model/labels.js';
import type { RbacGroup, RbacMatch, ZtunnelAuthorization } from '../model/mesh.js';
import type { MtlsMode } from '../model/policy.js';
import { selectorMatches } from '../match/labels.js';
import { EMPTY_MATCH } from './translate-for-ztunnel.js';

export const STATIC_STRICT_NAME = 'istio_converted_static_strict';
const PRESENCE = [{ kind: 'presence' as const, value: '' }];
const NO_IDENTITY: RbacMatch = { ...EMPTY_MATCH, notPrincipals: PRESENCE };

/** istiod's name for a converted PeerAuthentication (`model.GetAmbientPolicyConfigName`). */
export function convertedPeerAuthenticationName(name: string): string {
  return `converted_peer_authentication_${name}`;
}

export interface PeerAuthenticationConversion {
  /** The static STRICT policy (when any PeerAuthentication exists) and every converted port-level policy. */
  readonly policies: ZtunnelAuthorization[];
  /** Keys of the PeerAuthentication-derived policies a workload references. */
  policiesFor(workload: { namespace: string; labels: Labels }): string[];
}

const mode = (pa: PeerAuthentication | undefined): MtlsMode => pa?.spec.mtls?.mode ?? 'UNSET';

/**
 * PeerAuthentication in ambient: istiod folds it into DENY Authorizations (istio/istio:pilot/pkg/
 * serviceregistry/ambient/authorization.go `convertedSelectorPeerAuthentications`, `convertPeerAuthentication`,
 * `effectivePeerAuthenticationKeys`; policies.go `DefaultPolicy`). Oldest policy wins at each level; root
 * namespace PAs with a selector are ignored.
 */
export function convertPeerAuthentications(pas: readonly PeerAuthentication[], ctx: { rootNamespace: string }): PeerAuthenticationConversion {
  const root = ctx.rootNamespace;
  const sorted = [...pas].sort(oldestFirst);
  // Indexed by namespace (oldest first): every workload asks for its namespace's PeerAuthentications.
  const byNamespace = new Map<string, PeerAuthentication[]>();
  for (const p of sorted) {
    const ns = p.meta.ref.namespace ?? 'default';
    const list = byNamespace.get(ns);
    if (list) list.push(p);
    else byNamespace.set(ns, [p]);
  }
  const inNamespace = (ns: string): readonly PeerAuthentication[] => byNamespace.get(ns) ?? [];
  const meshCfg = inNamespace(root).find((p) => p.spec.selector === undefined);
  const nsCfgOf = (ns: string) => (ns === root ? undefined : inNamespace(ns).find((p) => p.spec.selector === undefined));
  const policies: ZtunnelAuthorization[] = [];
  if (pas.length > 0) policies.push(staticStrict(root));
  for (const pa of sorted) {
    const ns = pa.meta.ref.namespace ?? 'default';
    const converted = convertPeerAuthentication(root, pa, nsCfgOf(ns), meshCfg);
    if (converted) policies.push(converted);
  }
  return {
    policies,
    policiesFor(workload) {
      const workloadCfg = workload.namespace === root ? undefined
        : inNamespace(workload.namespace).find((p) => p.spec.selector !== undefined && selectorMatches(p.spec.selector, workload.labels));
      // A reference to a converted policy istiod never built stays, as in istiod; ztunnel (and the
      // mesh index) skip unknown names.
      return effectiveKeys(root, meshCfg, nsCfgOf(workload.namespace), workloadCfg);
    },
  };
}

function oldestFirst(a: PeerAuthentication, b: PeerAuthentication): number {
  const ta = a.meta.creationTimestamp ?? '';
  const tb = b.meta.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const ka = `${a.meta.ref.namespace}/${a.meta.ref.name}`;
  const kb = `${b.meta.ref.namespace}/${b.meta.ref.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function staticStrict(root: string): ZtunnelAuthorization {
  return {
    key: `${root}/${STATIC_STRICT_NAME}`, name: STATIC_STRICT_NAME, namespace: root, scope: 'WORKLOAD_SELECTOR', action: 'DENY',
    groups: [{ ruleIndex: 0, clauses: [{ origin: 'from', matches: [NO_IDENTITY] }] }],
    dryRun: false, origin: { kind: 'static-strict' }, droppedRules: [],
  };
}

/** Which PeerAuthentication-derived policies a workload references (`convertedSelectorPeerAuthentications`). */
function effectiveKeys(root: string, meshCfg?: PeerAuthentication, nsCfg?: PeerAuthentication, workloadCfg?: PeerAuthentication): string[] {
  let strict = mode(meshCfg) === 'STRICT';
  if (nsCfg && mode(nsCfg) !== 'UNSET') strict = mode(nsCfg) === 'STRICT';
  let portKey = '';
  if (workloadCfg) {
    const wm = mode(workloadCfg);
    if (wm === 'STRICT') strict = true;
    if (wm === 'PERMISSIVE' || wm === 'DISABLE') strict = false;
    const ports = Object.values(workloadCfg.spec.portLevelMtls ?? {}).map((p) => p.mode);
    const key = `${workloadCfg.meta.ref.namespace}/${convertedPeerAuthenticationName(workloadCfg.meta.ref.name)}`;
    if (workloadCfg.spec.portLevelMtls !== undefined) {
      if (wm === 'STRICT') {
        if (ports.some((m) => m === 'PERMISSIVE' || m === 'DISABLE')) [portKey, strict] = [key, false];
      } else if (wm === 'PERMISSIVE' || wm === 'DISABLE') {
        if (ports.includes('STRICT')) portKey = key;
      } else if (strict) {
        // UNSET under an inherited STRICT: only PERMISSIVE ports are exceptions here (DISABLE is not).
        if (ports.includes('PERMISSIVE')) [portKey, strict] = [key, false];
      } else if (ports.includes('STRICT')) {
        portKey = key;
      }
    }
  }
  return [...(strict ? [`${root}/${STATIC_STRICT_NAME}`] : []), ...(portKey ? [portKey] : [])].sort();
}

/** A workload PeerAuthentication with port-level modes as one DENY (`convertPeerAuthentication`). */
function convertPeerAuthentication(root: string, cfg: PeerAuthentication, nsCfg?: PeerAuthentication, rootCfg?: PeerAuthentication): ZtunnelAuthorization | null {
  const ns = cfg.meta.ref.namespace ?? 'default';
  const levels = cfg.spec.portLevelMtls ?? {};
  if (ns === root || cfg.spec.selector === undefined || Object.keys(levels).length === 0) return null;
  const m = mode(cfg);
  const clauses: RbacGroup['clauses'][number][] = [];
  const groups: RbacGroup[] = [];
  if (m === 'STRICT') clauses.push({ origin: 'from', matches: [NO_IDENTITY] });
  let foundNonStrict = false;
  const ports = Object.keys(levels).map(Number).filter((p) => Number.isInteger(p)).sort((a, b) => a - b);
  for (const port of ports) {
    const pm = levels[String(port)]?.mode ?? 'UNSET';
    if (pm === 'STRICT') {
      // Skipped when the parent is STRICT. Go's && binds tighter than ||, so the "#3" branch applies
      // whatever the workload's own mode: a PERMISSIVE workload under a STRICT mesh skips its STRICT port.
      if (m === 'STRICT' || (m === 'UNSET' && nsCfg !== undefined && mode(nsCfg) === 'STRICT')
        || ((nsCfg === undefined || mode(nsCfg) === 'UNSET') && rootCfg !== undefined && mode(rootCfg) === 'STRICT')) continue;
      groups.push({ ruleIndex: groups.length, clauses: [{ origin: 'from', matches: [{ ...NO_IDENTITY, destinationPorts: [port] }] }] });
    } else if (pm === 'PERMISSIVE' || pm === 'DISABLE') {
      if (m === 'PERMISSIVE' || m === 'DISABLE') continue;
      if (m === 'UNSET' && ((nsCfg !== undefined && mode(nsCfg) !== 'STRICT') || (nsCfg === undefined && rootCfg !== undefined && mode(rootCfg) !== 'STRICT') || (nsCfg === undefined && rootCfg === undefined))) continue;
      foundNonStrict = true;
      clauses.push({ origin: 'to', matches: [{ ...EMPTY_MATCH, notDestinationPorts: [port] }] });
    }
  }
  if (m === 'STRICT' && !foundNonStrict) return null;
  if (clauses.length === 0 && groups.length === 0) return null;
  const mergeStrict = (rootCfg !== undefined && mode(rootCfg) === 'STRICT' && (nsCfg === undefined || mode(nsCfg) === 'UNSET' || mode(nsCfg) === 'STRICT'))
    || (nsCfg !== undefined && mode(nsCfg) === 'STRICT');
  if (mergeStrict && foundNonStrict) clauses.push({ origin: 'from', matches: [NO_IDENTITY] });
  if (clauses.length > 0) groups.push({ ruleIndex: groups.length, clauses });
  const name = convertedPeerAuthenticationName(cfg.meta.ref.name);
  return {
    key: `${ns}/${name}`, name, namespace: ns, scope: 'WORKLOAD_SELECTOR', action: 'DENY', groups, dryRun: false,
    origin: { kind: 'PeerAuthentication', ref: cfg.meta.ref, source: cfg.meta.source }, droppedRules: [],
  };
}
