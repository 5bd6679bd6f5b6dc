/**
 * Checks that the CLI, reading the cluster from its manifest file, decides a sample of flows exactly
 * as the library does on the in-memory cluster: same verdict, encryption, deciding component, policy,
 * rule, reason, hops and steps for every flow.
 */
import { simulateFlows } from '../../src/index.js';
import type { Cluster, ObjectMeta } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';

export interface Agreement {
  readonly compared: number;
  readonly agreed: number;
  /** The first flow that differs: its id, the field, and both values. */
  readonly firstDifference?: string;
}

/**
 * The cluster with each kind's objects in the order the manifest loader keeps them (by namespace/name):
 * where several policies match a flow, the one named is the first in that order.
 */
export function inLoaderOrder(cluster: Cluster): Cluster {
  const key = (o: { meta: ObjectMeta }): string => `${o.meta.ref.namespace ?? 'default'}/${o.meta.ref.name}`;
  const sorted = <T extends { meta: ObjectMeta }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  return {
    ...cluster, namespaces: sorted(cluster.namespaces), nodes: sorted(cluster.nodes), pods: sorted(cluster.pods), controllers: sorted(cluster.controllers),
    services: sorted(cluster.services), serviceAccounts: sorted(cluster.serviceAccounts), gateways: sorted(cluster.gateways), gatewayClasses: sorted(cluster.gatewayClasses),
    authorizationPolicies: sorted(cluster.authorizationPolicies), peerAuthentications: sorted(cluster.peerAuthentications), requestAuthentications: sorted(cluster.requestAuthentications),
  };
}

/** Every `step`-th flow, at most `size` of them, so the sample spans the whole generated set. */
export function sampleFlows(flows: readonly Flow[], size: number): Flow[] {
  const step = Math.max(1, Math.floor(flows.length / size));
  const out: Flow[] = [];
  for (let i = 0; i < flows.length && out.length < size; i += step) out.push(flows[i] as Flow);
  return out;
}

/** Compares the CLI's `-o jsonl` result lines with the library's results for the same flows (cluster in the loader's order), field by field. */
export function compareResults(cluster: Cluster, flows: readonly Flow[], cliLines: readonly string[]): Agreement {
  const expected = simulateFlows(inLoaderOrder(cluster), flows).results;
  const byId = new Map<string, Record<string, unknown>>();
  for (const line of cliLines) {
    const value = JSON.parse(line) as Record<string, unknown>;
    if (typeof value['id'] === 'string' && value['summary'] === undefined) byId.set(value['id'], value);
  }
  let agreed = 0;
  let firstDifference: string | undefined;
  for (const want of expected) {
    const got = byId.get(want.id);
    const fields = new Set([...Object.keys(want), ...Object.keys(got ?? {})]);
    const differing = got === undefined ? 'id' : [...fields].find((f) => JSON.stringify((want as unknown as Record<string, unknown>)[f]) !== JSON.stringify(got[f]));
    if (differing === undefined) agreed++;
    else firstDifference ??= got === undefined ? `flow ${want.id}: no result from the CLI`
      : `flow ${want.id}: ${differing} is ${JSON.stringify(got[differing])} from the CLI, ${JSON.stringify((want as unknown as Record<string, unknown>)[differing])} in memory`;
  }
  return { compared: expected.length, agreed, ...(firstDifference !== undefined ? { firstDifference } : {}) };
}
