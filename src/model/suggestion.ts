import type { Flow } from './flow.js';
import type { Labels } from './labels.js';

/** What `suggest` computes from observed traffic (types only; the analysis is in analysis/suggest/). */

/** Where a suggestion puts its rules: `auto` puts HTTP rules at waypoints and the rest at ztunnel. */
export type SuggestAt = 'ztunnel' | 'waypoint' | 'auto';

/** One `from.source` of a suggested rule: principals, namespaces or (plaintext clients) IP blocks. */
export interface SuggestedSource {
  readonly principals?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly ipBlocks?: readonly string[];
}

/** One `to.operation` of a suggested rule. */
export interface SuggestedOperation {
  readonly ports?: readonly string[];
  readonly methods?: readonly string[];
  readonly paths?: readonly string[];
  readonly hosts?: readonly string[];
}

export interface SuggestedRule {
  readonly from: readonly SuggestedSource[];
  readonly to: readonly SuggestedOperation[];
  /** Why the rule is there, for the comment above it (e.g. the waypoint's identity, a plaintext client). */
  readonly why?: string;
}

/** The traffic a policy was written from. */
export interface SuggestionEvidence {
  readonly flows: number;
  /** Source workloads (`ns/name`) or, for plaintext clients, IPs; sorted. */
  readonly sources: readonly string[];
  /** Seconds on the traffic's clock. */
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** An ALLOW AuthorizationPolicy `suggest` writes, with the evidence for it. */
export interface SuggestedPolicy {
  readonly namespace: string;
  readonly name: string;
  /** `ztunnel`: a selector policy at the destination ztunnel; `waypoint`: a targetRefs policy. */
  readonly enforcedBy: 'ztunnel' | 'waypoint';
  readonly selector?: Labels;
  readonly targetRef?: { readonly kind: 'Service' | 'Gateway'; readonly group: string; readonly name: string };
  /** What the policy protects: workload uids (ztunnel) or the Service / waypoint key. */
  readonly protects: readonly string[];
  readonly rules: readonly SuggestedRule[];
  readonly evidence: SuggestionEvidence;
  /** Lint codes the policy answers by its evidence, written to `galley.istio.io/analyze-suppress`, with why. */
  readonly suppress?: { readonly codes: readonly string[]; readonly why: string };
}

/** Something the policies cannot say on their own, for people to act on. */
export type SuggestionNote =
  /** Plaintext clients have no principal: admitted by IP, or to be enrolled. */
  | { readonly kind: 'plaintext-clients'; readonly destination: string; readonly clients: readonly string[]; readonly flows: number }
  /** HTTP traffic (or, with `--at waypoint`, any traffic) to a destination without a waypoint. */
  | { readonly kind: 'add-waypoint'; readonly namespace: string; readonly destinations: readonly string[]; readonly http: boolean }
  /** HTTP traffic that skipped the destination's waypoint (addressed to a pod IP, for a waypoint of services). */
  | { readonly kind: 'waypoint-bypassed'; readonly waypoint: string; readonly destinations: readonly string[]; readonly flows: readonly string[] }
  /** With `--at ztunnel`: traffic through a waypoint reaches ztunnel with the waypoint's identity only. */
  | { readonly kind: 'waypoint-identity-only'; readonly waypoint: string; readonly destinations: readonly string[] }
  /** istiod's PILOT_AUTO_ALLOW_WAYPOINT_POLICY already admits the waypoint at these workloads' ztunnel. */
  | { readonly kind: 'auto-allow-waypoint'; readonly waypoint: string }
  /** Observed flows the cluster denies whatever AuthorizationPolicy says (e.g. plaintext under STRICT). */
  | { readonly kind: 'denied-regardless'; readonly flows: readonly string[]; readonly reason: string }
  /** A destination with no labels to select it by: no ztunnel policy written. */
  | { readonly kind: 'unselectable'; readonly workload: string };

/** An existing policy rule that admits more than the traffic needs. */
export interface BroaderRule {
  readonly policy: string;
  readonly rule: number;
  readonly enforcedBy: 'waypoint' | 'ztunnel';
  /**
   * `no-flow-hit`: no observed flow needed it; `dropped-for-ztunnel`: istiod drops it (HTTP attributes);
   * `any-source` / `any-operation`: it admitted observed flows but names no source / no operation, so
   * it admits every other source / port and request too.
   */
  readonly why: 'no-flow-hit' | 'dropped-for-ztunnel' | 'any-source' | 'any-operation';
  /** For `any-source` and `any-operation`: the observed sources the rule admitted. */
  readonly sources?: readonly string[];
}

/** The policies and notes, before replay. */
export interface Suggestion {
  readonly at: SuggestAt;
  readonly policies: readonly SuggestedPolicy[];
  readonly notes: readonly SuggestionNote[];
  /** Observed flows the suggestion is written to admit (allowed with no AuthorizationPolicy). */
  readonly admitted: number;
  readonly observed: number;
}

/** The replay of observed traffic and near misses against the cluster plus the suggestion. */
export interface SuggestionReplay {
  readonly observed: { readonly flows: number; readonly allowed: number; readonly denied: readonly string[] };
  readonly nearMisses: {
    readonly flows: number;
    readonly denied: number;
    /** Ids of near misses the suggestion allows. */
    readonly allowed: readonly string[];
    readonly byKind: Readonly<Record<NearMissKind, { readonly flows: number; readonly denied: number }>>;
    /** Every near miss replayed, with its verdict. */
    readonly list: readonly { readonly kind: NearMissKind; readonly flow: Flow; readonly verdict: 'allow' | 'deny' }[];
  };
  /** Diagnostics `validate` reports on the suggested policies (must be none). */
  readonly validation: readonly { readonly severity: string; readonly code: string; readonly message: string }[];
  /** Every observed flow allowed and validation clean. */
  readonly agrees: boolean;
}

export type NearMissKind = 'principal' | 'port' | 'method' | 'path';

/** A flow just outside what was observed, and which boundary it probes. */
export interface NearMissFlow {
  readonly kind: NearMissKind;
  readonly flow: Flow;
}

/** What `suggest` reports: the suggestion, its replay, and existing rules broader than the traffic. */
export interface SuggestReport {
  readonly suggestion: Suggestion;
  readonly replay: SuggestionReplay;
  readonly broader: readonly BroaderRule[];
}
