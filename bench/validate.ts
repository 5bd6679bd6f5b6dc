/**
 * validate benchmark: 5,000 generated manifests (namespaces, Deployments, Services, waypoints,
 * AuthorizationPolicies with rules, PeerAuthentications), loaded, resolved, validated and linted in
 * memory, as `kubectl get -A -o json` prints them (one List) and as multi-document YAML. Prints figures.
 */
import { stringify } from 'yaml';
import { validateManifests } from '../src/analysis/validate/validate-manifests.js';
import { loadManifests } from '../src/load/manifests/load-manifests.js';

const MANIFESTS = Number(process.env['BENCH_MANIFESTS'] ?? 5000);
const NAMESPACES = 50;
const RUNS = 5;

type Manifest = Record<string, unknown>;

/** Manifests come in blocks of ten, one block per app, apps spread over the namespaces. */
function namespaceOf(i: number): string {
  return `team-${Math.floor(i / 10) % NAMESPACES}`;
}

/** The i-th manifest of the mix: per 10, three Deployments, three Services, three policies and one PeerAuthentication. */
function manifest(i: number): Manifest {
  const ns = namespaceOf(i);
  const app = `app-${Math.floor(i / 10)}`;
  const meta = (name: string, extra: Manifest = {}) => ({ name, namespace: ns, ...extra });
  switch (i % 10) {
    case 0: case 1: case 2:
      return {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(`${app}-${i % 10}`),
        spec: {
          replicas: 1, selector: { matchLabels: { app: `${app}-${i % 10}` } },
          template: { metadata: { labels: { app: `${app}-${i % 10}`, tier: i % 3 === 0 ? 'backend' : 'web' } }, spec: { serviceAccountName: `${app}-${i % 10}`, containers: [{ name: 'c', image: 'img', ports: [{ containerPort: 8080 }] }] } },
        },
      };
    case 3: case 4: case 5:
      return { apiVersion: 'v1', kind: 'Service', metadata: meta(`${app}-${i % 10 - 3}`), spec: { selector: { app: `${app}-${i % 10 - 3}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } };
    case 6:
      return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta(`${app}-allow`), spec: { selector: { matchLabels: { app: `${app}-0` } }, rules: [{ from: [{ source: { principals: [`cluster.local/ns/${namespaceOf(i + 1)}/sa/${app}-1`] } }], to: [{ operation: { ports: ['8080'] } }] }] } };
    case 7:
      return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta(`${app}-l7`), spec: { targetRefs: [{ kind: 'Service', group: '', name: `${app}-1` }], rules: [{ to: [{ operation: { methods: ['GET'], paths: ['/api/*'] } }], when: [{ key: 'request.headers[x-tenant]', values: [ns] }] }] } };
    case 8:
      return { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: meta(`${app}-deny`), spec: { action: 'DENY', selector: { matchLabels: { tier: 'backend' } }, rules: [{ from: [{ source: { notNamespaces: [ns] } }], to: [{ operation: { methods: ['DELETE'] } }] }] } };
    default:
      return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta(`${app}-mtls`), spec: { selector: { matchLabels: { app: `${app}-2` } }, mtls: { mode: i % 20 === 9 ? 'STRICT' : 'PERMISSIVE' } } };
  }
}

/** Namespaces (every other one ambient, every fifth with a waypoint), then the mix up to MANIFESTS objects. */
function manifests(): Manifest[] {
  const out: Manifest[] = [];
  for (let n = 0; n < NAMESPACES; n++) {
    const labels: Record<string, string> = n % 2 === 0 ? { 'istio.io/dataplane-mode': 'ambient' } : {};
    if (n % 5 === 0) labels['istio.io/use-waypoint'] = 'waypoint';
    out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}`, labels } });
    if (n % 5 === 0) {
      out.push({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'waypoint', namespace: `team-${n}` }, spec: { gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] }, status: { addresses: [{ value: `10.96.200.${n}` }] } });
    }
  }
  for (let i = 0; out.length < MANIFESTS; i++) out.push(manifest(i));
  return out;
}

function measure(file: string, text: string): { ms: number[]; diagnostics: number; lints: Record<string, number> } {
  const ms: number[] = [];
  let result: ReturnType<typeof validateManifests> | undefined;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const loaded = loadManifests([{ file, text }]);
    result = validateManifests(loaded.cluster);
    ms.push(performance.now() - t0);
  }
  const lints: Record<string, number> = {};
  for (const d of result?.diagnostics ?? []) lints[d.code] = (lints[d.code] ?? 0) + 1;
  return { ms, diagnostics: result?.diagnostics.length ?? 0, lints };
}

const objects = manifests();
const json = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });
const yamlText = objects.map((o) => stringify(o)).join('---\n');
const kinds: Record<string, number> = {};
for (const o of objects) kinds[o['kind'] as string] = (kinds[o['kind'] as string] ?? 0) + 1;
console.log(`${objects.length} manifests: ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')}`);

for (const [format, file, text] of [['JSON List', 'cluster.json', json], ['multi-document YAML', 'cluster.yaml', yamlText]] as const) {
  const { ms, diagnostics, lints } = measure(file, text);
  const best = Math.min(...ms);
  console.log(`${format} (${(text.length / 1024 / 1024).toFixed(1)} MB): load + resolve + validate + lints: first run ${ms[0]?.toFixed(0)} ms, best of ${RUNS} ${best.toFixed(0)} ms${best < 1000 ? '' : ' (over the 1 s budget)'}`);
  console.log(`  ${diagnostics} diagnostics: ${Object.entries(lints).map(([k, n]) => `${k} ${n}`).join(', ')}`);
}
