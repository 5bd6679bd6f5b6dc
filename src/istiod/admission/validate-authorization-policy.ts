import type { AuthorizationPolicy, MeshConfig } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { Operation, Rule, Source } from '../../model/policy.js';
import { display, problemReporter, type Reporter } from './report-problem.js';
import { validateCondition, validateIps, validatePath, validatePorts } from './validate-values.js';
import { validateSelector, validateTargetRefs } from './validate-binding.js';

const SOURCE_FIELDS: readonly (keyof Source)[] = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'serviceAccounts', 'notServiceAccounts', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'trustDomains', 'notTrustDomains'];
const OPERATION_FIELDS: readonly (keyof Operation)[] = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'];
const IDENTITY_FIELDS: readonly (keyof Source)[] = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'serviceAccounts', 'notServiceAccounts', 'requestPrincipals', 'notRequestPrincipals', 'trustDomains', 'notTrustDomains'];
const IDENTITY_KEYS = ['source.principal', 'source.namespace', 'source.serviceAccount', 'request.auth.principal', 'source.trustDomain'];
const HTTP_FIELDS: readonly (keyof Operation | keyof Source)[] = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths', 'requestPrincipals', 'notRequestPrincipals'];

/**
 * What istiod's webhook rejects (errors) or warns about in an AuthorizationPolicy
 * (istio/istio:pkg/config/validation/validation.go `ValidateAuthorizationPolicy`; helpers in
 * pkg/config/security/security.go; CEL rules in manifests/charts/base/files/crd-all.gen.yaml).
 */
export function validateAuthorizationPolicy(policy: AuthorizationPolicy, ctx: { meshConfig: MeshConfig }): Diagnostic[] {
  const r = problemReporter('AuthorizationPolicy', policy.meta);
  const spec = policy.spec;
  validateTargetRefs(r, spec.selector, spec.targetRefs, spec.usesSingularTargetRef === true);
  validateSelector(r, spec.selector);
  if (spec.action === 'CUSTOM') {
    if (!spec.provider?.name) r.error('custom-without-provider', 'spec.action', 'action CUSTOM needs spec.provider.name naming an extensionProvider of the mesh config');
    // builder/extauthz.go getExtAuthz: a name with no usable ext_authz provider makes istiod build DENY rules instead.
    else if (!Object.hasOwn(ctx.meshConfig.extAuthzProviders, spec.provider.name)) r.warning('unknown-extension-provider', 'spec.provider.name', `provider "${spec.provider.name}" is not an ext_authz extensionProvider (envoyExtAuthzHttp or envoyExtAuthzGrpc) of the mesh config; istiod turns this CUSTOM policy's rules into DENY rules, so the requests they match are denied`);
    if ((spec.rules ?? []).length === 0) r.error('custom-without-rules', 'spec.action', 'action CUSTOM requires rules: a CUSTOM policy without rules is not allowed');
  } else if (spec.provider !== undefined) {
    r.error('provider-without-custom', 'spec.provider', `spec.provider is only allowed with action CUSTOM, not ${spec.action}`);
  }
  // "DENY action without rules" is meaningless; `rules: [{}]` denies everything.
  if (spec.action === 'DENY' && (spec.rules ?? []).length === 0) {
    r.error('deny-without-rules', 'spec.action', 'a DENY policy needs rules; to deny every request use rules: [{}]');
  }
  (spec.rules ?? []).forEach((rule, i) => validateRule(r, rule, `spec.rules.${i}`, spec.action));
  if (spec.action === 'DENY' && (spec.rules ?? []).length > 0 && spec.rules?.every(onlyHttp)) {
    r.warning('deny-http-only', 'spec.rules', 'every rule uses only HTTP attributes: on TCP traffic (sidecars and waypoints) this DENY matches all connections, while ztunnel ignores it');
  }
  return r.diagnostics;
}

function validateRule(r: Reporter, rule: Rule, path: string, action: string): void {
  if (rule.from !== undefined && rule.from.length === 0) r.error('empty-from', `${path}.from`, `${display(`${path}.from`)} must not be empty; remove it to match any source`);
  if (rule.to !== undefined && rule.to.length === 0) r.error('empty-to', `${path}.to`, `${display(`${path}.to`)} must not be empty; remove it to match any operation`);
  (rule.from ?? []).forEach((f, i) => {
    const p = `${path}.from.${i}.source`;
    const s = f.source;
    if (!s || SOURCE_FIELDS.every((k) => (s[k]?.length ?? 0) === 0)) return r.error('empty-source', p, `${display(p)} must not be empty`);
    validateSource(r, s, p, action);
  });
  (rule.to ?? []).forEach((t, i) => {
    const p = `${path}.to.${i}.operation`;
    const op = t.operation;
    if (!op || OPERATION_FIELDS.every((k) => (op[k]?.length ?? 0) === 0)) return r.error('empty-operation', p, `${display(p)} must not be empty`);
    // Paths are built only for lists that have entries: an absent or empty list has nothing to report.
    for (const k of OPERATION_FIELDS) if (op[k]?.length) emptyValues(r, op[k], `${p}.${k}`);
    if (op.ports?.length) validatePorts(r, op.ports, `${p}.ports`);
    if (op.notPorts?.length) validatePorts(r, op.notPorts, `${p}.notPorts`);
    for (const k of ['paths', 'notPaths'] as const) (op[k] ?? []).forEach((v, j) => validatePath(r, v, `${p}.${k}.${j}`));
  });
  (rule.when ?? []).forEach((c, i) => {
    const p = `${path}.when.${i}`;
    if ((c.values?.length ?? 0) === 0 && (c.notValues?.length ?? 0) === 0) r.error('condition-without-values', p, `${display(p)} needs values or notValues`);
    emptyValues(r, c.values, `${p}.values`);
    emptyValues(r, c.notValues, `${p}.notValues`);
    validateCondition(r, c.key, [...(c.values ?? []), ...(c.notValues ?? [])], p);
    if (action === 'CUSTOM' && IDENTITY_KEYS.includes(c.key)) r.error('custom-identity-condition', `${p}.key`, `condition "${c.key}" is not supported with action CUSTOM`);
  });
}

function validateSource(r: Reporter, s: Source, p: string, action: string): void {
  for (const k of SOURCE_FIELDS) if (s[k]?.length) emptyValues(r, s[k], `${p}.${k}`);
  if (action === 'CUSTOM') {
    for (const k of IDENTITY_FIELDS) if ((s[k]?.length ?? 0) > 0) r.error('custom-identity-field', `${p}.${k}`, `${display(`${p}.${k}`)} is not supported with action CUSTOM`);
  }
  for (const k of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const) if (s[k]?.length) validateIps(r, s[k] ?? [], `${p}.${k}`);
  for (const k of ['serviceAccounts', 'notServiceAccounts'] as const) {
    const list = s[k] ?? [];
    if (list.length === 0) continue;
    if ((s.namespaces?.length ?? 0) > 0 || (s.principals?.length ?? 0) > 0 || (s.notNamespaces?.length ?? 0) > 0 || (s.notPrincipals?.length ?? 0) > 0) {
      r.error('service-accounts-with-identity', `${p}.${k}`, `${display(`${p}.${k}`)} cannot be combined with namespaces or principals in one source (CheckServiceAccount)`);
    }
    if (list.length > 16) r.error('too-many-service-accounts', `${p}.${k}`, `${display(`${p}.${k}`)} has ${list.length} entries; at most 16 are allowed`);
    list.forEach((v, i) => {
      if (v.includes('*') || !/^[a-z0-9.-]+(\/[a-z0-9.-]+)?$/.test(v)) r.error('invalid-service-account', `${p}.${k}.${i}`, `service account "${v}" in ${display(`${p}.${k}.${i}`)} must be "name" or "namespace/name", without wildcards`);
    });
  }
  for (const k of ['trustDomains', 'notTrustDomains'] as const) {
    (s[k] ?? []).forEach((v, i) => {
      const inner = v.slice(1, -1);
      if (v.includes('/') || inner.includes('*')) r.error('invalid-trust-domain', `${p}.${k}.${i}`, `trust domain "${v}" in ${display(`${p}.${k}.${i}`)} may not contain "/" or a "*" except at its start or end (CheckTrustDomainValues)`);
    });
  }
}

function emptyValues(r: Reporter, values: readonly string[] | undefined, path: string): void {
  (values ?? []).forEach((v, i) => {
    if (v === '') r.error('empty-value', `${path}.${i}`, `${display(`${path}.${i}`)} is an empty string; empty values are not allowed`);
  });
}

function onlyHttp(rule: Rule): boolean {
  const http = (rule.to ?? []).some((t) => HTTP_FIELDS.some((k) => ((t.operation as Record<string, unknown[]> | undefined)?.[k]?.length ?? 0) > 0))
    || (rule.from ?? []).some((f) => HTTP_FIELDS.some((k) => ((f.source as Record<string, unknown[]> | undefined)?.[k]?.length ?? 0) > 0))
    || (rule.when ?? []).some((w) => w.key.startsWith('request.'));
  const l4 = (rule.to ?? []).some((t) => (t.operation?.ports?.length ?? 0) + (t.operation?.notPorts?.length ?? 0) > 0)
    || (rule.from ?? []).some((f) => ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'ipBlocks', 'notIpBlocks', 'serviceAccounts', 'notServiceAccounts'].some((k) => ((f.source as Record<string, unknown[]> | undefined)?.[k]?.length ?? 0) > 0))
    || (rule.when ?? []).some((w) => !w.key.startsWith('request.'));
  return http && !l4;
}
