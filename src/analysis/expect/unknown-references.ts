import type { UnknownReference } from '../../model/expectation.js';
import type { ExpectContext } from './expect-context.js';

/**
 * The names an invariant is about that the mesh does not have: the namespace of `noPlaintextInto`,
 * the `to` and `from` entries of `onlyReachable`. Without them the invariant would hold vacuously
 * over any number of flows, so a check reports them instead. A namespace counts when some workload
 * or Service lives in it; `to` names a Service, a pod or a controller; `from` entries name a pod or
 * controller, or `ns/*`. Empty when the context cannot tell (it knows no names).
 */
export function unknownReferences(
  about: { readonly namespace: string } | { readonly to: string; readonly from: readonly string[] },
  context: ExpectContext,
): UnknownReference[] {
  const names = context.names;
  if (names === undefined) return [];
  if ('namespace' in about) return names.hasNamespace(about.namespace) ? [] : [{ field: 'namespace', ref: about.namespace }];
  const unknown: UnknownReference[] = [];
  if (!names.hasService(about.to) && !names.hasWorkload(about.to)) unknown.push({ field: 'to', ref: about.to });
  for (const f of about.from) {
    const known = f.endsWith('/*') ? names.hasNamespace(f.slice(0, -2)) : names.hasWorkload(f);
    if (!known) unknown.push({ field: 'from', ref: f });
  }
  return unknown;
}
