import type { LabelSelector } from '../../model/labels.js';
import type {
  AuthorizationAction, AuthorizationPolicySpec, Condition, JwtRule, MtlsMode, Operation, PeerAuthenticationSpec,
  PolicyTargetReference, RequestAuthenticationSpec, Rule, RuleFrom, RuleTo, Source,
} from '../../model/policy.js';
import type { FieldReader } from './field-reader.js';

const SOURCE_FIELDS = ['principals', 'notPrincipals', 'requestPrincipals', 'notRequestPrincipals', 'namespaces', 'notNamespaces',
  'serviceAccounts', 'notServiceAccounts', 'ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks', 'trustDomains', 'notTrustDomains'] as const;
const OPERATION_FIELDS = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
const ACTIONS: readonly AuthorizationAction[] = ['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'];
const MODES: readonly MtlsMode[] = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'];

/** `selector` of Istio security kinds: a WorkloadSelector with `matchLabels` only. */
function workloadSelector(r: FieldReader, value: unknown, path: string): LabelSelector | undefined {
  const m = r.map(value, path);
  if (!m) return undefined;
  r.onlyKnown(m, ['matchLabels'], path);
  return { matchLabels: r.stringMap(m['matchLabels'], `${path}.matchLabels`) ?? {} };
}

function targetRefs(r: FieldReader, spec: Record<string, unknown>): { refs?: PolicyTargetReference[]; singular: boolean } {
  const refs: PolicyTargetReference[] = [];
  const one = (value: unknown, path: string): void => {
    const m = r.map(value, path);
    if (!m) return;
    r.onlyKnown(m, ['group', 'kind', 'name', 'namespace'], path);
    const kind = r.string(m['kind'], `${path}.kind`);
    const name = r.string(m['name'], `${path}.name`);
    if (kind === undefined || name === undefined) return r.missing(path, `${path.replace(/\.(\d+)/g, '[$1]')} needs kind and name`);
    const group = r.string(m['group'], `${path}.group`);
    const namespace = r.string(m['namespace'], `${path}.namespace`);
    refs.push({ kind, name, ...(group !== undefined ? { group } : {}), ...(namespace !== undefined ? { namespace } : {}) });
  };
  const singular = spec['targetRef'] !== undefined && spec['targetRef'] !== null;
  if (singular) one(spec['targetRef'], 'spec.targetRef');
  (r.list(spec['targetRefs'], 'spec.targetRefs') ?? []).forEach((v, i) => one(v, `spec.targetRefs.${i}`));
  return { ...(refs.length > 0 || singular || spec['targetRefs'] !== undefined ? { refs } : {}), singular };
}

/** `security.istio.io` AuthorizationPolicy spec, type-checked against the CRD's structural schema. */
export function readAuthorizationPolicySpec(r: FieldReader, value: unknown): AuthorizationPolicySpec {
  const spec = r.map(value, 'spec') ?? {};
  r.onlyKnown(spec, ['selector', 'targetRef', 'targetRefs', 'action', 'provider', 'rules'], 'spec');
  const action = r.string(spec['action'], 'spec.action') ?? 'ALLOW';
  if (!(ACTIONS as readonly string[]).includes(action)) r.missing('spec.action', `spec.action must be one of ${ACTIONS.join(', ')}, got "${action}"`);
  const selector = workloadSelector(r, spec['selector'], 'spec.selector');
  const { refs, singular } = targetRefs(r, spec);
  const provider = r.map(spec['provider'], 'spec.provider');
  r.onlyKnown(provider, ['name'], 'spec.provider');
  const providerName = provider ? r.string(provider['name'], 'spec.provider.name') : undefined;
  const rawRules = r.list(spec['rules'], 'spec.rules');
  return {
    action: action as AuthorizationAction,
    ...(selector ? { selector } : {}),
    ...(refs ? { targetRefs: refs } : {}),
    ...(singular ? { usesSingularTargetRef: true } : {}),
    ...(provider ? { provider: providerName !== undefined ? { name: providerName } : {} } : {}),
    ...(rawRules ? { rules: rawRules.map((rule, i) => readRule(r, rule, `spec.rules.${i}`)) } : {}),
  };
}

function readRule(r: FieldReader, value: unknown, path: string): Rule {
  const m = r.map(value, path) ?? {};
  r.onlyKnown(m, ['from', 'to', 'when'], path);
  const from = r.list(m['from'], `${path}.from`)?.map((f, i): RuleFrom => {
    const fm = r.map(f, `${path}.from.${i}`) ?? {};
    r.onlyKnown(fm, ['source'], `${path}.from.${i}`);
    const s = r.map(fm['source'], `${path}.from.${i}.source`);
    return s ? { source: readFields<Source>(r, s, SOURCE_FIELDS, `${path}.from.${i}.source`) } : {};
  });
  const to = r.list(m['to'], `${path}.to`)?.map((t, i): RuleTo => {
    const tm = r.map(t, `${path}.to.${i}`) ?? {};
    r.onlyKnown(tm, ['operation'], `${path}.to.${i}`);
    const o = r.map(tm['operation'], `${path}.to.${i}.operation`);
    return o ? { operation: readFields<Operation>(r, o, OPERATION_FIELDS, `${path}.to.${i}.operation`) } : {};
  });
  const when = r.list(m['when'], `${path}.when`)?.map((c, i): Condition => {
    const p = `${path}.when.${i}`;
    const cm = r.map(c, p) ?? {};
    r.onlyKnown(cm, ['key', 'values', 'notValues'], p);
    const values = r.strings(cm['values'], `${p}.values`);
    const notValues = r.strings(cm['notValues'], `${p}.notValues`);
    return { key: r.string(cm['key'], `${p}.key`) ?? '', ...(values ? { values } : {}), ...(notValues ? { notValues } : {}) };
  });
  return { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(when ? { when } : {}) };
}

function readFields<T>(r: FieldReader, m: Record<string, unknown>, fields: readonly string[], path: string): T {
  r.onlyKnown(m, fields, path);
  const out: Record<string, string[]> = {};
  for (const f of fields) {
    const v = r.strings(m[f], `${path}.${f}`);
    if (v) out[f] = v;
  }
  return out as T;
}

/** PeerAuthentication spec (`mtls.mode`, `portLevelMtls` keyed by port number). */
export function readPeerAuthenticationSpec(r: FieldReader, value: unknown): PeerAuthenticationSpec {
  const spec = r.map(value, 'spec') ?? {};
  r.onlyKnown(spec, ['selector', 'mtls', 'portLevelMtls'], 'spec');
  const selector = workloadSelector(r, spec['selector'], 'spec.selector');
  const mode = (path: string, v: unknown): { mode: MtlsMode } | undefined => {
    const m = r.map(v, path);
    if (!m) return undefined;
    r.onlyKnown(m, ['mode'], path);
    const md = r.string(m['mode'], `${path}.mode`) ?? 'UNSET';
    if (!(MODES as readonly string[]).includes(md)) r.missing(`${path}.mode`, `${path}.mode must be one of ${MODES.join(', ')}, got "${md}"`);
    return { mode: md as MtlsMode };
  };
  const mtls = mode('spec.mtls', spec['mtls']);
  const ports = r.map(spec['portLevelMtls'], 'spec.portLevelMtls');
  let portLevelMtls: Record<string, { mode: MtlsMode }> | undefined;
  if (ports) {
    portLevelMtls = {};
    for (const [port, v] of Object.entries(ports)) {
      const m = mode(`spec.portLevelMtls.${port}`, v);
      if (m) portLevelMtls[port] = m;
    }
  }
  return { ...(selector ? { selector } : {}), ...(mtls ? { mtls } : {}), ...(portLevelMtls ? { portLevelMtls } : {}) };
}

/** RequestAuthentication spec: selector or targetRefs, and jwtRules. */
export function readRequestAuthenticationSpec(r: FieldReader, value: unknown): RequestAuthenticationSpec {
  const spec = r.map(value, 'spec') ?? {};
  r.onlyKnown(spec, ['selector', 'targetRef', 'targetRefs', 'jwtRules'], 'spec');
  const selector = workloadSelector(r, spec['selector'], 'spec.selector');
  const { refs } = targetRefs(r, spec);
  const jwtRules = (r.list(spec['jwtRules'], 'spec.jwtRules') ?? []).map((j, i): JwtRule => {
    const p = `spec.jwtRules.${i}`;
    const m = r.map(j, p) ?? {};
    const audiences = r.strings(m['audiences'], `${p}.audiences`);
    const jwksUri = r.string(m['jwksUri'], `${p}.jwksUri`);
    return { issuer: r.string(m['issuer'], `${p}.issuer`) ?? '', ...(audiences ? { audiences } : {}), ...(jwksUri !== undefined ? { jwksUri } : {}) };
  });
  return { ...(selector ? { selector } : {}), ...(refs ? { targetRefs: refs } : {}), jwtRules };
}
