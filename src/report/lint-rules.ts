import type { LintCode, Severity } from '../model/diagnostic.js';
import { LINT_CODES } from '../model/diagnostic.js';
import { LINT_SEVERITY } from '../model/diagnostic.js';

/** The English for one diagnostic code: a one-line summary, why it matters, and what to do. */
export interface RuleText {
  readonly summary: string;
  readonly explanation: string;
  readonly fix: string;
}

/** One explanation and one fix per lint; the compiler checks that no code is missing. */
export const LINT_RULES: Readonly<Record<LintCode, RuleText>> = {
  'split-from-to-rules': {
    summary: 'A rule with only "from" beside a rule with only "to"',
    explanation: 'Rules are ORed: each half matches on its own, so the policy is far more permissive (or, for DENY, far broader) than "from X to Y".',
    fix: 'Put "from" and "to" in the same list item of "rules".',
  },
  'path-inner-wildcard': {
    summary: '"*" in the middle of a path is a literal',
    explanation: 'Only a leading or trailing "*" is a wildcard; "/api/*/admin" matches exactly that string.',
    fix: 'Use the path template "{*}" for one segment or "{**}" for the rest ("/api/{*}/admin").',
  },
  'comparison-value': {
    summary: 'A header or condition value that looks like a comparison',
    explanation: 'Values such as ">100" are strings matched literally; AuthorizationPolicy has no comparison operators.',
    fix: 'List the accepted values, or check the range in the application or an ext-authz (CUSTOM) provider.',
  },
  'foreign-trust-domain': {
    summary: 'A principal with a trust domain other than the mesh\'s',
    explanation: 'ztunnel compares principals literally; only for Envoy (waypoints, sidecars) does istiod rewrite cluster.local and trustDomainAliases to every domain of the mesh.',
    fix: 'Write principals with the mesh trust domain; trustDomainAliases help only policies bound to a waypoint or sidecar.',
  },
  'ztunnel-allow-http-rule': {
    summary: 'A ztunnel-bound ALLOW rule with HTTP attributes is dropped',
    explanation: 'istiod drops every ALLOW rule with an HTTP attribute before sending the policy to ztunnel, L4 parts included; with no rule left the policy allows nothing.',
    fix: 'Bind the policy to a waypoint with targetRefs, or remove the HTTP attributes.',
  },
  'ztunnel-deny-http-no-op': {
    summary: 'A ztunnel-bound DENY rule with only HTTP attributes never fires',
    explanation: 'ztunnel cannot see HTTP; istiod strips those fields and the rule is left unable to match (sidecars would deny all TCP instead).',
    fix: 'Bind the policy to a waypoint with targetRefs, or deny by L4 fields.',
  },
  'ztunnel-deny-over-denies': {
    summary: 'A ztunnel-bound DENY rule mixes L4 and HTTP fields',
    explanation: 'istiod strips the HTTP fields and ztunnel denies on the L4 part alone, refusing more than the requests meant.',
    fix: 'Move the HTTP condition to a waypoint policy (targetRefs); keep only L4 fields at ztunnel.',
  },
  'ztunnel-unenforced-action': {
    summary: 'A CUSTOM or AUDIT policy bound to ztunnel',
    explanation: 'istiod does not send CUSTOM or AUDIT policies to ztunnel, and waypoints ignore selector policies: nothing enforces it.',
    fix: 'Bind the policy to a waypoint with targetRefs.',
  },
  'ztunnel-dry-run-ignored': {
    summary: 'A dry-run policy bound to ztunnel',
    explanation: 'istiod drops dry-run policies for ztunnel unless AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true, so nothing logs their matches.',
    fix: 'Set AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY=true on istiod, or test the policy another way.',
  },
  'ztunnel-service-port': {
    summary: 'A ztunnel policy names a Service port',
    explanation: 'ztunnel authorizes the container port the Service forwards to, not the Service port.',
    fix: 'Write the targetPort (container port).',
  },
  'ztunnel-udp-port': {
    summary: 'A ztunnel policy names a UDP port',
    explanation: 'ztunnel captures only TCP; UDP traffic meets no policy.',
    fix: 'Remove the port, or protect UDP traffic with a NetworkPolicy.',
  },
  'selector-matches-nothing': {
    summary: 'A selector matches no workload',
    explanation: 'No workload in the manifests has the selected labels, so the object applies to nothing.',
    fix: 'Check the selector against the pods\' labels.',
  },
  'selects-unenrolled-only': {
    summary: 'A policy selects only workloads outside the mesh',
    explanation: 'Workloads in neither ambient nor sidecar mode are not captured by ztunnel or a proxy, so nothing enforces the policy for them.',
    fix: 'Enroll the workloads (istio.io/dataplane-mode=ambient) or fix the selector.',
  },
  'selector-selects-waypoint': {
    summary: 'A selector policy selects a waypoint pod',
    explanation: 'Waypoints never apply selector policies and ztunnel does not capture waypoint pods: the policy does nothing there.',
    fix: 'Bind the policy to the waypoint with targetRefs (kind Gateway).',
  },
  'target-ref-missing': {
    summary: 'A targetRef names a Service or Gateway that does not exist',
    explanation: 'A policy whose target is missing (or a Gateway that is no waypoint) attaches to nothing.',
    fix: 'Check the name; targetRefs name an object in the policy\'s own namespace.',
  },
  'target-service-without-waypoint': {
    summary: 'A targetRef names a Service without a waypoint',
    explanation: 'Only waypoints enforce targetRefs policies and ztunnel ignores them: without a waypoint in effect the policy does nothing.',
    fix: 'Label the Service or its namespace istio.io/use-waypoint=<waypoint>, or use a selector policy for L4 rules.',
  },
  'waypoint-bypassable': {
    summary: 'A waypoint-only policy can be bypassed',
    explanation: 'Traffic to pod IPs, from out-of-mesh clients, sidecars and ingress gateways skips the waypoint; no ztunnel policy restricts it.',
    fix: 'Add a selector ALLOW admitting only the waypoint identity, or set PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true.',
  },
  'waypoint-identity-at-ztunnel': {
    summary: 'A ztunnel ALLOW denies traffic relayed by a waypoint',
    explanation: 'After a waypoint the destination ztunnel sees the waypoint\'s identity, not the client\'s; rules keyed on client identities deny it.',
    fix: 'Allow the waypoint principal, move client rules to a targetRefs policy, or set PILOT_AUTO_ALLOW_WAYPOINT_POLICY=true.',
  },
  'identity-rules-exclude-plaintext': {
    summary: 'Identity rules can never match the cluster\'s plaintext clients',
    explanation: 'Plaintext peers have no identity, so principal, namespace and service-account rules never match them.',
    fix: 'Enroll those clients in the mesh, or allow their addresses with ipBlocks.',
  },
  'envoy-filter-applies-nowhere': {
    summary: 'A local rate limit EnvoyFilter reaches no proxy',
    explanation: 'In ambient mode ztunnel is not Envoy and ambient pods have no proxy; a waypoint takes an EnvoyFilter only through targetRefs (its Gateway, or GatewayClass istio-waypoint from the root namespace), never by workloadSelector.',
    fix: 'Bind the filter to the waypoint with targetRefs (kind Gateway, group gateway.networking.k8s.io) and match context SIDECAR_INBOUND.',
  },
  'envoy-filter-rate-limit-unmodelled': {
    summary: 'A local rate limit the simulator does not run',
    explanation: 'The filter uses features the simulator does not model (descriptors, route-level limits, proxy matches), or is placed where Envoy would reject it.',
    fix: 'Read the message: move the filter before envoy.filters.http.router (INSERT_BEFORE), or expect the simulation to ignore this limit.',
  },
};

/** One-line summaries of the other codes `validate` reports: loader, admission and resolver findings. */
const OTHER_SUMMARIES: Readonly<Record<string, string>> = {
  'yaml-syntax': 'The file is not valid YAML', 'json-syntax': 'The file is not valid JSON', 'yaml-aliases': 'Too many YAML alias expansions',
  'yaml-too-deep': 'Nesting too deep to load', 'input-too-large': 'A YAML file too large to read', 'unreadable-input': 'The file cannot be read', 'not-an-object': 'A document is not a Kubernetes object',
  'missing-kind': 'A document has no kind or apiVersion', 'missing-name': 'An object has no metadata.name', 'invalid-name': 'A name or label the API server rejects',
  'not-a-regular-file': 'A special file in a manifest directory, skipped', 'outside-root': 'A scenario names a file outside its root, not read', 'invalid-field-type': 'A field has the wrong type',
  'unknown-field': 'An unknown field', 'missing-field': 'A required field is missing', 'duplicate-object': 'An object is defined twice',
  'duplicate-key': 'A mapping key written twice',
  'skipped-kinds': 'Objects of kinds the simulator does not act on', 'invalid-mesh-config': 'The mesh config cannot be read',
  'selector-with-target-refs': 'selector and targetRefs together', 'cross-namespace-target-ref': 'A cross-namespace targetRef',
  'invalid-target-ref': 'A targetRef of an unsupported kind', 'invalid-selector': 'An invalid workload selector', 'empty-selector': 'A selector without matchLabels',
  'deny-without-rules': 'A DENY policy without rules', 'custom-without-provider': 'A CUSTOM policy without provider',
  'custom-without-rules': 'A CUSTOM policy without rules', 'provider-without-custom': 'A provider on a non-CUSTOM policy',
  'unknown-extension-provider': 'A CUSTOM provider the mesh config does not define', 'custom-identity-field': 'An identity field in a CUSTOM policy',
  'custom-identity-condition': 'An identity condition in a CUSTOM policy', 'empty-from': 'An empty from list', 'empty-to': 'An empty to list',
  'empty-source': 'An empty source', 'empty-operation': 'An empty operation', 'empty-value': 'An empty string value',
  'service-accounts-with-identity': 'serviceAccounts combined with namespaces or principals', 'too-many-service-accounts': 'More than 16 serviceAccounts',
  'invalid-service-account': 'An invalid service account', 'invalid-trust-domain': 'An invalid trust domain', 'invalid-cidr': 'An invalid IP address or CIDR',
  'invalid-port': 'An invalid port', 'condition-without-values': 'A condition without values or notValues', 'empty-condition-key': 'An empty condition key',
  'unknown-condition-key': 'An unknown condition key', 'unsupported-condition-key': 'A condition key istiod no longer supports',
  'invalid-condition-key': 'A map condition key without [name]', 'invalid-path-template': 'An invalid path template',
  'deny-http-only': 'A DENY with only HTTP attributes denies all TCP at Envoy', 'port-level-without-selector': 'portLevelMtls without a selector',
  'empty-port-level-mtls': 'An empty portLevelMtls', 'missing-issuer': 'A JWT rule without issuer', 'invalid-jwks-uri': 'An invalid jwksUri',
  'unknown-namespace': 'Objects in a namespace the manifests lack', 'unknown-node': 'Pods on a node the manifests lack',
  'invalid-pod-ip': 'A pod or host IP that is not an IP address', 'duplicate-pod-ip': 'Two running pods with one IP',
  'service-selects-nothing': 'A Service selects no pod', 'use-waypoint-missing': 'istio.io/use-waypoint names no waypoint',
  'target-ref-not-attached': 'A targetRef attaches to no waypoint', 'waypoint-without-hbone-listener': 'A waypoint without an HBONE listener',
  'invalid-waypoint-for': 'An invalid istio.io/waypoint-for value',
};

/** Whether a code is a lint code. */
export function isLintCode(code: string): code is LintCode {
  return (LINT_CODES as readonly string[]).includes(code);
}

/** The English for any code `validate` reports; codes without an entry get their own name as summary. */
export function ruleText(code: string): RuleText & { readonly level?: Severity } {
  if (isLintCode(code)) return { ...LINT_RULES[code], level: LINT_SEVERITY[code] };
  const summary = OTHER_SUMMARIES[code] ?? code.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return { summary, explanation: `${summary}. The message names the object, the field and what to do.`, fix: 'See the message.' };
}
