import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { loadManifests } from '../../../src/load/manifests/load-manifests.js';
import { MAX_YAML_BYTES } from '../../../src/load/manifests/parse-documents.js';
import { validateCluster } from '../../../src/istiod/admission/validate-cluster.js';
import { validateManifests } from '../../../src/analysis/validate/validate-manifests.js';
import { stringify as stringifyYaml } from 'yaml';

const ROOT = resolve(__dirname, '../../..');
const load = (text: string, file = 'm.yaml') => loadManifests([{ file, text }]);

describe('loadManifests() reads what kubectl prints', () => {
  const exported = loadManifests([{ file: 'export.yaml', text: readFileSync(resolve(ROOT, 'test/fixtures/kubectl-export.yaml'), 'utf8') }]);

  it('reads a `kubectl get -A -o yaml` List, skipping kinds it does not act on', () => {
    expect(exported.stats.objects).toEqual({ Namespace: 1, ReplicaSet: 1, Deployment: 1, Pod: 1, Service: 1, AuthorizationPolicy: 1 });
    expect(exported.cluster.skipped).toEqual([expect.objectContaining({ kind: 'ConfigMap', name: 'kube-root-ca.crt', reason: 'unsupported-kind' })]);
    expect(exported.diagnostics).toContainEqual(expect.objectContaining({ severity: 'info', code: 'skipped-kinds', message: expect.stringContaining('ConfigMap (1)') }));
  });

  it('follows Pod -> ReplicaSet -> Deployment ownership, and does not expand controllers that have pods', () => {
    const pod = exported.cluster.pods.find((p) => p.meta.ref.name === 'web-7f9c6d5b8-q2x7k');
    expect(pod).toMatchObject({ owner: 'shop/web', ips: ['10.244.1.7'], nodeName: 'kind-worker', template: { serviceAccount: 'web', ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }] } });
    expect(exported.cluster.pods).toHaveLength(1);
  });

  it('keeps provenance: file, document and line of each object, and field positions of policies', () => {
    const ap = exported.cluster.authorizationPolicies[0];
    expect(ap?.meta.source).toMatchObject({ file: 'export.yaml', document: 0 });
    expect(ap?.meta.source.line).toBe(160);
    expect(ap?.meta.positions?.['spec.rules.0.from.0.source.namespaces.0']).toEqual([173, 13]);
    expect(exported.cluster.services[0]).toMatchObject({ clusterIPs: ['10.96.41.7'], ports: [{ port: 80, targetPort: 'http', name: 'http', protocol: 'TCP' }] });
  });

  it('reads JSON: one object, an array, or a List', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } };
    expect(load(JSON.stringify(ns), 'a.json').cluster.namespaces).toHaveLength(1);
    expect(load(JSON.stringify([ns, { ...ns, metadata: { name: 'b' } }]), 'a.json').cluster.namespaces).toHaveLength(2);
    expect(load(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [ns] }), 'a.json').cluster.namespaces).toHaveLength(1);
  });

  it('takes mesh config from the istio ConfigMap and flags from the istiod Deployment, overridable', () => {
    const text = `apiVersion: v1
kind: ConfigMap
metadata: { name: istio, namespace: istio-system }
data:
  mesh: |
    trustDomain: corp.example
    trustDomainAliases: [old.example]
    extensionProviders:
    - name: ext-authz
      envoyExtAuthzHttp: { service: ext-authz.auth.svc.cluster.local, port: 8000 }
    - name: opa
      envoyExtAuthzGrpc: { service: opa.auth.svc.cluster.local, port: 9191 }
    - name: zipkin
      zipkin: { service: zipkin.istio-system.svc.cluster.local, port: 9411 }
    - name: dup
      envoyExtAuthzGrpc: { service: a.auth.svc.cluster.local, port: 9191 }
    - name: dup
      envoyExtAuthzGrpc: { service: b.auth.svc.cluster.local, port: 9191 }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: istiod, namespace: istio-system }
spec:
  template:
    spec:
      containers:
      - name: discovery
        env:
        - { name: PILOT_AUTO_ALLOW_WAYPOINT_POLICY, value: "true" }
        - { name: AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY, value: "false" }
`;
    const r = loadManifests([{ file: 'm.yaml', text }], { istiodEnv: { AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY: 'true' } });
    expect(r.cluster.meshConfig).toMatchObject({ trustDomain: 'corp.example', trustDomainAliases: ['old.example'], rootNamespace: 'istio-system', extensionProviders: ['ext-authz', 'opa', 'zipkin', 'dup', 'dup'] });
    // builder/extauthz.go processExtensionProvider: only ext_authz kinds; a name given twice is an error there.
    expect(r.cluster.meshConfig.extAuthzProviders).toEqual({ 'ext-authz': 'http', opa: 'grpc' });
    expect(r.cluster.istiodEnv).toEqual({ PILOT_AUTO_ALLOW_WAYPOINT_POLICY: 'true', AMBIENT_ENABLE_DRY_RUN_AUTHORIZATION_POLICY: 'true' });
  });
});

describe('loadManifests() rejects bad objects with file, line and column, and keeps the rest', () => {
  it.each([
    ['a number where the CRD wants a string', 'ports: [8080]', 'spec.rules[0].to[0].operation.ports[0] must be a string, got number 8080', 'invalid-field-type', 9, 17],
    ['a string where a list is expected', 'ports: "8080"', 'spec.rules[0].to[0].operation.ports must be a list', 'invalid-field-type', 9, 9],
    ['an unknown field', 'port: ["8080"]', 'unknown field "spec.rules[0].to[0].operation.port"', 'unknown-field', 9, 9],
  ])('%s', (_n, field, message, code, line, column) => {
    const text = `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: p, namespace: pay }
spec:
  rules:
  - to:
    - operation:
        methods: ["GET"]
        ${field}
---
apiVersion: v1
kind: Namespace
metadata: { name: pay }
`;
    const r = load(text);
    expect(r.cluster.authorizationPolicies).toEqual([]);
    expect(r.cluster.namespaces).toHaveLength(1);
    const d = r.diagnostics.find((x) => x.severity === 'error');
    expect(d).toMatchObject({ code, object: 'AuthorizationPolicy pay/p', file: 'm.yaml', line, column });
    expect(d?.message).toContain(message);
  });

  it('a YAML syntax error names file, line and column, and the other documents still load', () => {
    const r = load('apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\nkind: [oops\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: b }\n');
    expect(r.cluster.namespaces.map((n) => n.meta.ref.name)).toEqual(['a', 'b']);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'yaml-syntax', file: 'm.yaml', line: expect.any(Number), column: expect.any(Number) }));
  });

  it('a missing name, a missing kind and a scalar document are reported', () => {
    const r = load('apiVersion: v1\nkind: Namespace\nmetadata: {}\n---\nmetadata: { name: x }\n---\njust text\n');
    expect(r.diagnostics.map((d) => d.code).sort()).toEqual(['missing-kind', 'missing-name', 'not-an-object']);
  });

  // kubectl apply -f takes its -f arguments in the order given (cli-runtime pkg/resource/builder.go
  // FilenameParam), so the object is left as the input given last defines it.
  it('a duplicate object across files keeps the definition given last, and the warning names both', () => {
    const ns = (v: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: a, labels: { v: "${v}" } }\n`;
    const r = loadManifests([{ file: 'b.yaml', text: ns('b') }, { file: 'a.yaml', text: ns('a') }]);
    expect(r.cluster.namespaces.map((n) => n.meta.labels)).toEqual([{ v: 'a' }]);
    const d = r.diagnostics.find((x) => x.code === 'duplicate-object');
    expect(d).toMatchObject({ severity: 'warning', file: 'a.yaml', line: 1 });
    expect(d?.message).toContain('b.yaml:1');
    expect(d?.message).toContain('later definition (a.yaml:1) is used');
    expect(r.stats.objects['Namespace']).toBe(1);
  });

  it('an object defined many times gets one warning that counts them and names the first and the last, which is used', () => {
    const doc = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: same }\n';
    const r = load(Array.from({ length: 5000 }, () => doc).join('---\n'));
    const warnings = r.diagnostics.filter((d) => d.code === 'duplicate-object');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ line: 4 * 4999 + 1 });
    expect(warnings[0]?.message).toContain('is defined 5,000 times, first at m.yaml:1 and last at m.yaml:19997');
    expect(warnings[0]?.message).toContain('the 4,999 earlier ones are ignored');
    expect(r.stats.objects['Namespace']).toBe(1);
  });

  it('a duplicate object within one file keeps the later document', () => {
    const pol = (action: string) => `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: { name: p, namespace: a }\nspec: { action: ${action}, rules: [{}] }\n`;
    const r = load(`${pol('ALLOW')}---\n${pol('DENY')}`);
    expect(r.cluster.authorizationPolicies.map((p) => p.spec.action)).toEqual(['DENY']);
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ code: 'duplicate-object', line: 6 }));
  });
});

describe('controllers without pods expand into pods', () => {
  const deploy = (name: string, replicas: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: shop }\nspec:\n  replicas: ${replicas}\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec: { serviceAccountName: ${name}, containers: [{ name: c, ports: [{ containerPort: 8080 }] }] }\n`;
  const nodes = 'apiVersion: v1\nkind: Node\nmetadata: { name: n1 }\n---\napiVersion: v1\nkind: Node\nmetadata: { name: n2 }\n';

  it('with stable names, IPs and nodes, whatever the order of files and documents', () => {
    fc.assert(fc.property(fc.shuffledSubarray([deploy('a', 2), deploy('b', 3), deploy('c', 1), nodes], { minLength: 4, maxLength: 4 }), fc.boolean(), (docs, split) => {
      const inputs = split ? docs.map((t, i) => ({ file: `f${i}.yaml`, text: t })) : [{ file: 'all.yaml', text: docs.join('---\n') }];
      const pods = loadManifests(inputs).cluster.pods.map((p) => [p.meta.ref.name, p.ips[0], p.nodeName, p.owner, p.generated]);
      const reference = loadManifests([{ file: 'ref.yaml', text: [deploy('a', 2), deploy('b', 3), deploy('c', 1), nodes].join('---\n') }]).cluster.pods.map((p) => [p.meta.ref.name, p.ips[0], p.nodeName, p.owner, p.generated]);
      expect(pods).toEqual(reference);
    }), { numRuns: 30 });
  });

  it('generates one pod per replica, owned by the controller, on the known nodes, with distinct IPs', () => {
    const pods = load(`${deploy('a', 3)}---\n${nodes}`).cluster.pods;
    expect(pods).toHaveLength(3);
    expect(new Set(pods.map((p) => p.ips[0])).size).toBe(3);
    for (const p of pods) expect(p).toMatchObject({ owner: 'shop/a', generated: true, template: { serviceAccount: 'a' } });
    for (const p of pods) expect(['n1', 'n2']).toContain(p.nodeName);
  });
});

describe('every article in the corpus loads as istiod would take it', () => {
  const dir = resolve(ROOT, 'test/fixtures/articles');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  const run = (f: string) => {
    const r = loadManifests([{ file: f, text: readFileSync(resolve(dir, f), 'utf8') }]);
    return { r, v: validateCluster(r.cluster) };
  };

  it('finds the corpus', () => {
    expect(files.length).toBe(27);
  });

  it.each(files)('%s loads without throwing', (f) => {
    expect(() => run(f)).not.toThrow();
  });

  it.each([
    // PyYAML agrees: "expected <block end>, but found '-'" at line 13 column 1.
    ['a00-payment-service-policy-as-printed.yaml', 'yaml-syntax', 13],
    ['b06-ambient-telemetry-malformed.yaml', 'yaml-syntax', 25],
  ])('%s is not valid YAML: %s at line %i', (f, code, line) => {
    const { r } = run(f);
    expect(r.diagnostics.find((d) => d.severity === 'error')).toMatchObject({ code, line });
  });

  it.each([
    ['a01-payment-service-policy-reindented.yaml', []],
    ['b04-payment-l4-l7-access.yaml', []],
    ['b11-frontend-policy.yaml', []],
    ['b12-payment-processor-access.yaml', ['unknown-condition-key']],
    ['b13-trading-platform-controls.yaml', ['unknown-condition-key', 'unknown-condition-key', 'unknown-condition-key']],
    ['b14-security-baseline-deny.yaml', ['invalid-cidr', 'unknown-condition-key']],
    ['b15-namespace-isolation.yaml', []],
    ['b16-microservice-segmentation.yaml', []],
    ['b19-jwt-auth.yaml', []],
    ['b20-external-authz.yaml', []],
  ])('%s: istiod rejects with %j', (f, codes) => {
    const { v } = run(f);
    expect(v.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).sort()).toEqual(codes);
  });

  it.each([['b05-production-migration.yaml', 1], ['b10-enterprise-pki.yaml', 2], ['b17-istio-tracing.yaml', 1], ['b23-cert-rotation-check.yaml', 2]])('%s: %i objects of other kinds are skipped and counted', (f, n) => {
    expect(run(f).r.stats.skipped).toBe(n);
  });
});

describe('hostile input stays bounded: the loader and the validator finish quickly and say where the input is bad', () => {
  /** Loads and validates; throws only if the code under test throws. */
  const quick = (text: string, file = 'm.yaml') => {
    const r = load(text, file);
    const v = validateManifests(r.cluster);
    return { r, v, diagnostics: [...r.diagnostics, ...v.diagnostics] };
  };
  const letter = (i: number) => String.fromCharCode(97 + i);
  // The timeout of the tests of bounded work: a guard against hangs and runaway work (minutes), not a
  // speed figure (the machine may be busy). Vitest fails a synchronous test that returns after its timeout too.
  const HANG_MS = 30_000;

  it('a YAML alias bomb ("billion laughs") is refused with a diagnostic at its line', () => {
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: lol, namespace: a }', 'data:',
      `  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`,
      ...Array.from({ length: 8 }, (_, i) => `  ${letter(i + 1)}: &${letter(i + 1)} [${Array(9).fill(`*${letter(i)}`).join(',')}]`)].join('\n');
    const { diagnostics } = quick(bomb);
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'yaml-aliases', file: 'm.yaml', line: 1 }));
  }, HANG_MS);

  it.each([
    ['10,000 levels of "["', '['.repeat(10_000), 'yaml-too-deep'],
    ['100,000 levels of "["', '['.repeat(100_000), 'yaml-too-deep'],
    ['10,000 levels of "{a: "', '{a: '.repeat(10_000), 'yaml-too-deep'],
    ['10,000 nested block sequences ("- - - ...")', `${'- '.repeat(10_000)}x`, 'yaml-too-deep'],
    ['10,000 levels of "[" in a JSON-looking file', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, 'yaml-too-deep'],
  ])('%s is refused before it can exhaust the stack', (_name, text, code) => {
    const { diagnostics } = quick(text);
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code, file: 'm.yaml', line: expect.any(Number) }));
  }, HANG_MS);

  it('block-style nesting deeper than the YAML reader can follow is reported as depth, not as a syntax error with the stack\'s message', () => {
    const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: deep, namespace: a }', 'data:',
      ...Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 2)}k${i}:`)].join('\n');
    const { diagnostics } = quick(text);
    const deep = diagnostics.filter((d) => d.code === 'yaml-too-deep');
    expect(deep).toEqual([expect.objectContaining({ severity: 'error', file: 'm.yaml', line: expect.any(Number), message: expect.stringContaining('nests too deeply') })]);
    expect(diagnostics.map((d) => d.message).join('\n')).not.toMatch(/call stack/);
  });

  it('10,000 documents load and validate', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ns-${i} }\n`).join('---\n');
    const { r, diagnostics } = quick(text);
    expect(r.cluster.namespaces).toHaveLength(10_000);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  }, HANG_MS);

  it('a 50 MB YAML file is refused at once, with what to do instead', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: big, namespace: a }\ndata:\n  blob: "${'x'.repeat(50 * 1024 * 1024)}"\n`;
    const { diagnostics } = quick(text);
    expect(diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', code: 'input-too-large', file: 'm.yaml', line: 1, message: expect.stringContaining('kubectl get -o json') }));
  }, HANG_MS);

  it('a 50 MB JSON export loads, positions included', () => {
    const blob = 'x'.repeat(50 * 1024 * 1024);
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'a' }, data: { blob } },
      { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { rules: [{ to: [{ operation: { ports: ['>1024'] } }] }] } },
    ] }, null, 1);
    const { r, diagnostics } = quick(text, 'export.json');
    expect(r.stats.skipped).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('">1024"')) + 1;
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: 'invalid-port', file: 'export.json', line }));
  }, HANG_MS);

  const everyDiagnosticIsLocated = (diagnostics: readonly { file?: string; line?: number; code: string }[]) => {
    for (const d of diagnostics) if (d.code !== 'skipped-kinds') expect(d).toMatchObject({ file: 'm.yaml', line: expect.any(Number) });
  };

  it('never throws on generated text, YAML and JSON, and locates what it reports', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p' }, spec: v }))), (text) => {
      everyDiagnosticIsLocated(quick(text).diagnostics);
    }), { numRuns: 300 });
  });

  it('never throws on any value written as YAML by the yaml package; a value that is no object gets a diagnostic', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue()), (value) => {
      let text: string;
      try {
        text = stringifyYaml(value) ?? '';
      } catch {
        fc.pre(false);
        return;
      }
      const { diagnostics } = quick(text);
      everyDiagnosticIsLocated(diagnostics);
      const isObjectOrEmpty = value === null || value === undefined || (typeof value === 'object' && !Array.isArray(value)) || (Array.isArray(value) && value.length === 0);
      if (!isObjectOrEmpty) expect(diagnostics.length).toBeGreaterThan(0);
    }), { numRuns: 300 });
  });

  it('never throws on generated policy specs written as YAML, and validates them', () => {
    fc.assert(fc.property(fc.anything(), (spec) => {
      let text: string;
      try {
        text = stringifyYaml({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'a' }, spec }) ?? '';
      } catch {
        fc.pre(false);
        return;
      }
      everyDiagnosticIsLocated(quick(text).diagnostics);
    }), { numRuns: 300 });
  });
});

describe('loadManifests() prints nothing itself', () => {
  it.each([
    ['a label key', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels:\n    ? {x: y}\n    : z\n'],
    ['a key in the mesh config', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: istio, namespace: istio-system }\ndata:\n  mesh: "? [a]\\n: b\\n"\n'],
  ])('%s that is a mapping or list is read without a process warning (found by test/fuzz: the YAML reader printed "Keys with collection values will be stringified" on stderr, quoting the file)', (_what, text) => {
    const warn = vi.spyOn(process, 'emitWarning');
    try {
      loadManifests([{ file: 'm.yaml', text }]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});

describe('loadManifests() reads past a leading byte order mark (YAML 1.2 §5.2; RFC 8259 §8.1), found by test/fuzz', () => {
  it('a YAML document after one is located at its own column, not one to the right', () => {
    const r = loadManifests([{ file: 'bom.yaml', text: '\ufeffkind: Namespace\nmetadata: { name: a }\n' }]);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'missing-kind', line: 1, column: 1 })]);
  });

  it('a JSON export after one is read as JSON, so the YAML size limit does not refuse it', () => {
    const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }] });
    const r = loadManifests([{ file: 'bom.json', text: `\ufeff${json}${' '.repeat(MAX_YAML_BYTES)}` }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.stats.objects).toEqual({ Namespace: 1 });
  });
});
