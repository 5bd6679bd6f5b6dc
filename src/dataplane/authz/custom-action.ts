import type { MeshConfig } from '../../model/cluster.js';
import type { EnvoyAuthorization } from '../../model/mesh.js';

/**
 * What istiod builds at one Envoy (sidecar or waypoint) for a CUSTOM policy, by provider
 * (pilot/pkg/security/authz/builder/builder.go `buildHTTP`, `buildTCP`):
 * - `ext-authz`: an RBAC filter in shadow mode that marks matching requests, then an ext_authz
 *   filter that asks the provider about them;
 * - `deny`: the provider cannot be used (not an ext_authz provider of the mesh config, or a second
 *   provider at the same proxy without PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS), so istiod
 *   turns the policy's rules into DENY rules (`getBadCustomDenyRules`, "-deny-due-to-bad-CUSTOM-action");
 * - `ignored`: a TCP chain with an HTTP-only provider: "ignored CUSTOM action with HTTP provider on
 *   TCP filter chain".
 */
export type CustomTreatment = 'ext-authz' | 'deny' | 'ignored';

export interface CustomSettings {
  readonly meshConfig: Pick<MeshConfig, 'extAuthzProviders'>;
  /** istiod's PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS: several providers may serve one proxy. */
  readonly multipleProviders: boolean;
}

/**
 * The treatment of each CUSTOM policy's provider at one proxy, for an HTTP or a TCP chain. Every
 * CUSTOM policy counts towards the providers in use, dry-run ones included (builder.go `build`
 * appends the provider before it looks at the dry-run annotation).
 */
export function customTreatments(policies: readonly { readonly policy: EnvoyAuthorization }[], settings: CustomSettings, tcp: boolean): ReadonlyMap<string, CustomTreatment> {
  // Most chains have no CUSTOM policy: nothing is allocated for them.
  if (!policies.some((c) => c.policy.action === 'CUSTOM')) return NONE;
  const providers = new Set<string>();
  for (const { policy: p } of policies) if (p.action === 'CUSTOM') providers.add(p.provider ?? '');
  const out = new Map<string, CustomTreatment>();
  const tooMany = providers.size > 1 && !settings.multipleProviders;
  for (const name of providers) {
    const kind = Object.hasOwn(settings.meshConfig.extAuthzProviders, name) ? settings.meshConfig.extAuthzProviders[name] : undefined;
    out.set(name, tooMany || kind === undefined ? 'deny' : tcp && kind === 'http' ? 'ignored' : 'ext-authz');
  }
  return out;
}

const NONE: ReadonlyMap<string, CustomTreatment> = new Map();

/** istiod's flag for several CUSTOM providers at one proxy (off unless set to true). */
export function multipleCustomProviders(istiodEnv: Readonly<Record<string, string>>): boolean {
  return istiodEnv['PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS'] === 'true';
}
