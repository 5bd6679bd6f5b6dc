import type { RbacGroup, RbacMatch } from '../../../model/mesh.js';
import { describeTargets, isZtunnelBound, listSome, type PolicyLint } from './lint-context.js';

/** A Match a peer without identity can never satisfy: it asks for a principal, namespace or service account. */
const needsIdentity = (m: RbacMatch): boolean => m.principals.length + m.namespaces.length + m.serviceAccounts.length > 0;

/** A group no plaintext connection can match: one of its clauses needs an identity in every Match. */
const excludesPlaintext = (g: RbacGroup): boolean =>
  g.clauses.some((c) => c.matches.length > 0 && c.matches.every(needsIdentity));

/**
 * Pitfall 5: plaintext peers have no identity, so principal, namespace and service-account rules never
 * match them (rbac.rs tests `namespaces`, `principals`). When every rule of a ztunnel ALLOW needs an
 * identity and the manifests have out-of-mesh workloads, those clients are denied by this policy.
 * Traffic is not known here, so any out-of-mesh workload counts as a possible client.
 */
export const identityRulesExcludePlaintext: PolicyLint = (policy, ctx, report) => {
  const authz = ctx.ztunnelPolicyOf(policy);
  if (!ctx.hasInventory || !authz || !isZtunnelBound(policy) || authz.action !== 'ALLOW' || authz.dryRun) return;
  if (authz.groups.length === 0 || !authz.groups.every(excludesPlaintext)) return;
  if (!ctx.targetsOf(policy).some((w) => w.enrollment === 'ambient')) return;
  const plaintext = ctx.outOfMesh;
  if (plaintext.length === 0) return;
  report('identity-rules-exclude-plaintext', 'spec.rules', `every rule needs a peer identity (principals, namespaces or serviceAccounts), which plaintext clients do not have; the manifests have ${plaintext.length} workload${plaintext.length === 1 ? '' : 's'} outside the mesh (${listSome(plaintext.map((w) => w.uid))}), and any of them connecting to ${describeTargets(policy, ctx.mesh.meshConfig.rootNamespace)} is denied by this policy. If they must connect, enroll them in the mesh or allow their addresses with ipBlocks`);
};
