import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateManifests } from '../../../src/analysis/validate/validate-manifests.js';
import { loadManifests } from '../../../src/load/manifests/load-manifests.js';
import { LINT_CODES, type Diagnostic } from '../../../src/model/diagnostic.js';

const ROOT = resolve(__dirname, '../../..');
const DIR = resolve(ROOT, 'test/fixtures/articles');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
const isLint = (d: Diagnostic) => (LINT_CODES as readonly string[]).includes(d.code);

/** What `validate` reports for corpus files loaded together: loader diagnostics, then validation's. */
function validate(files: readonly string[]): Diagnostic[] {
  const loaded = loadManifests(files.map((f) => ({ file: f, text: readFileSync(resolve(DIR, f), 'utf8') })));
  return [...loaded.diagnostics, ...validateManifests(loaded.cluster).diagnostics];
}

/**
 * One row per article of the corpus, validated on its own: the errors (istiod or the YAML parser rejects
 * the file or an object in it), then the lint codes that fire. Why, per row:
 */
const EXPECTED: readonly [file: string, errors: readonly string[], lints: readonly string[]][] = [
  // Lost its indentation in print: "expected <block end>, but found '-'".
  ['a00-payment-service-policy-as-printed.yaml', ['yaml-syntax'], []],
  // `from` and `to` are separate rules; rule 1 (methods, paths) is dropped at ztunnel.
  ['a01-payment-service-policy-reindented.yaml', [], ['split-from-to-rules', 'ztunnel-allow-http-rule']],
  ['b00-istiod-deployment.yaml', [], []],
  // An `inject` annotation, not the injector's status: the pod is simply out of the mesh.
  ['b01-sidecar-pod.yaml', [], []],
  ['b02-ambient-namespace-payment-processor.yaml', [], []],
  // Annotations instead of the istio.io/use-waypoint label: no error, the Service just has no waypoint.
  ['b03-payment-waypoint.yaml', [], []],
  // Header "comparisons" are literal strings (the Service alone has no waypoint: see the whole-article test).
  ['b04-payment-l4-l7-access.yaml', [], ['comparison-value', 'comparison-value']],
  ['b05-production-migration.yaml', [], []],
  // A list item at the wrong indentation.
  ['b06-ambient-telemetry-malformed.yaml', ['yaml-syntax'], []],
  ['b07-mesh-strict.yaml', [], []],
  ['b08-permissive-mtls.yaml', [], []],
  ['b09-payment-service-port-mtls.yaml', [], []],
  ['b10-enterprise-pki.yaml', [], []],
  // Three separate rules; the methods/paths one is dropped at ztunnel, the others stay.
  ['b11-frontend-policy.yaml', [], ['split-from-to-rules', 'ztunnel-allow-http-rule']],
  // custom.time_of_day is no attribute: istiod rejects the policy, so it is not linted.
  ['b12-payment-processor-access.yaml', ['unknown-condition-key'], []],
  // custom.time_of_day (twice) and custom.day_of_week.
  ['b13-trading-platform-controls.yaml', ['unknown-condition-key', 'unknown-condition-key', 'unknown-condition-key'], []],
  // request.url_path is no attribute; source.ip "*" is no CIDR.
  ['b14-security-baseline-deny.yaml', ['invalid-cidr', 'unknown-condition-key'], []],
  ['b15-namespace-isolation.yaml', [], []],
  // Every rule has methods: a selector ALLOW that denies every connection at ztunnel.
  ['b16-microservice-segmentation.yaml', [], ['ztunnel-allow-http-rule']],
  ['b17-istio-tracing.yaml', [], []],
  ['b18-security-metrics.yaml', [], []],
  // JWT claims are HTTP attributes: the only rule is dropped at ztunnel.
  ['b19-jwt-auth.yaml', [], ['ztunnel-allow-http-rule']],
  // CUSTOM with a selector: ztunnel does not support it and no waypoint applies it.
  ['b20-external-authz.yaml', [], ['ztunnel-unenforced-action']],
  ['b21-rate-limit-filter.yaml', [], []],
  ['b22-zero-trust-rollout-plan.yaml', [], []],
  ['b23-cert-rotation-check.yaml', [], []],
  ['b24-security-alerts.yaml', [], []],
];

describe('validate over the corpus of published articles', () => {
  it('has one expectation per article, and no article without one', () => {
    expect(EXPECTED.map(([f]) => f)).toEqual(FILES);
  });

  it.each(EXPECTED)('%s: errors %j, lints %j', (file, errors, lints) => {
    const diagnostics = validate([file]);
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort()).toEqual(errors);
    expect(diagnostics.filter(isLint).map((d) => d.code).sort()).toEqual(lints);
  });

  it('the b-articles together are one cluster: what the pieces do to each other', () => {
    const found = validate(FILES.filter((f) => f.startsWith('b'))).filter(isLint).map((d) => `${d.file} ${d.code}`).sort();
    expect(found).toEqual([
      'b04-payment-l4-l7-access.yaml comparison-value',
      'b04-payment-l4-l7-access.yaml comparison-value',
      // b03 annotates the Service instead of labelling it istio.io/use-waypoint: both policies do nothing.
      'b04-payment-l4-l7-access.yaml target-service-without-waypoint',
      'b04-payment-l4-l7-access.yaml target-service-without-waypoint',
      // b02's payment-processor pods are labelled app and version only; this PeerAuthentication also wants tier: critical.
      'b09-payment-service-port-mtls.yaml selector-matches-nothing',
      // The rest select workloads of namespaces the articles never deploy.
      'b11-frontend-policy.yaml selector-matches-nothing',
      'b11-frontend-policy.yaml split-from-to-rules',
      'b11-frontend-policy.yaml ztunnel-allow-http-rule',
      'b16-microservice-segmentation.yaml selector-matches-nothing',
      'b16-microservice-segmentation.yaml ztunnel-allow-http-rule',
      'b19-jwt-auth.yaml selector-matches-nothing',
      'b19-jwt-auth.yaml ztunnel-allow-http-rule',
      'b20-external-authz.yaml selector-matches-nothing',
      'b20-external-authz.yaml ztunnel-unenforced-action',
      // b05 makes production ambient (injection disabled): the SIDECAR_INBOUND rate limit has no targetRefs,
      // so no waypoint takes it, ztunnel is not Envoy, and no sidecar is left to patch.
      'b21-rate-limit-filter.yaml envoy-filter-applies-nowhere',
    ]);
  });

  it('locates each lint at its field: b04\'s ">100000" at line 44, column 23', () => {
    expect(validate(['b04-payment-l4-l7-access.yaml']).find((d) => d.code === 'comparison-value')).toMatchObject({ line: 44, column: 23, severity: 'warning' });
  });
});
