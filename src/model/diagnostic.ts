/** How bad a diagnostic is: `error` means the object (or file) was rejected and left out. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem found in user input. Codes are stable kebab-case identifiers; `message` is the English
 * sentence for people. Location fields are present when known.
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  /** `Kind namespace/name` of the object concerned, when there is one. */
  readonly object?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Byte offset in a binary input (captures). */
  readonly offset?: number;
  readonly message: string;
}

/**
 * Codes of the lints `validate` runs after admission: configurations istiod accepts that do not do
 * what they appear to do in ambient mode. Their English (summary, explanation, fix) lives in
 * `report/lint-rules.ts`; tests assert codes, never prose.
 */
export type LintCode =
  // the shape of a policy
  | 'split-from-to-rules'
  | 'path-inner-wildcard'
  | 'comparison-value'
  | 'foreign-trust-domain'
  // what ztunnel receives (istiod's translation)
  | 'ztunnel-allow-http-rule'
  | 'ztunnel-deny-http-no-op'
  | 'ztunnel-deny-over-denies'
  | 'ztunnel-unenforced-action'
  | 'ztunnel-dry-run-ignored'
  | 'ztunnel-service-port'
  | 'ztunnel-udp-port'
  // what a policy selects or targets
  | 'selector-matches-nothing'
  | 'selects-unenrolled-only'
  | 'selector-selects-waypoint'
  | 'target-ref-missing'
  | 'target-service-without-waypoint'
  | 'waypoint-bypassable'
  // identities after a waypoint and without mTLS
  | 'waypoint-identity-at-ztunnel'
  | 'identity-rules-exclude-plaintext'
  // EnvoyFilter local rate limits in ambient mode
  | 'envoy-filter-applies-nowhere'
  | 'envoy-filter-rate-limit-unmodelled';

/** Every lint code, in the order `validate --help` and the docs list them. */
export const LINT_CODES: readonly LintCode[] = [
  'split-from-to-rules', 'path-inner-wildcard', 'comparison-value', 'foreign-trust-domain',
  'ztunnel-allow-http-rule', 'ztunnel-deny-http-no-op', 'ztunnel-deny-over-denies', 'ztunnel-unenforced-action',
  'ztunnel-dry-run-ignored', 'ztunnel-service-port', 'ztunnel-udp-port',
  'selector-matches-nothing', 'selects-unenrolled-only', 'selector-selects-waypoint', 'target-ref-missing',
  'target-service-without-waypoint', 'waypoint-bypassable', 'waypoint-identity-at-ztunnel', 'identity-rules-exclude-plaintext',
  'envoy-filter-applies-nowhere', 'envoy-filter-rate-limit-unmodelled',
];

/** How loud each lint is; `info` for advice that depends on traffic the manifests cannot show. */
export const LINT_SEVERITY: Readonly<Record<LintCode, Severity>> = {
  'split-from-to-rules': 'warning',
  'path-inner-wildcard': 'warning',
  'comparison-value': 'warning',
  'foreign-trust-domain': 'warning',
  'ztunnel-allow-http-rule': 'warning',
  'ztunnel-deny-http-no-op': 'warning',
  'ztunnel-deny-over-denies': 'warning',
  'ztunnel-unenforced-action': 'warning',
  'ztunnel-dry-run-ignored': 'warning',
  'ztunnel-service-port': 'warning',
  'ztunnel-udp-port': 'warning',
  'selector-matches-nothing': 'warning',
  'selects-unenrolled-only': 'warning',
  'selector-selects-waypoint': 'warning',
  'target-ref-missing': 'warning',
  'target-service-without-waypoint': 'warning',
  'waypoint-bypassable': 'info',
  'waypoint-identity-at-ztunnel': 'warning',
  'identity-rules-exclude-plaintext': 'warning',
  'envoy-filter-applies-nowhere': 'warning',
  'envoy-filter-rate-limit-unmodelled': 'info',
};
