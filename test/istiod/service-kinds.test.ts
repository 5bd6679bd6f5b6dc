import { describe, expect, it } from 'vitest';
import { loadManifests, resolveMesh } from '../../src/index.js';

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata: { name: a }
---
apiVersion: v1
kind: Pod
metadata: { name: web-0, namespace: a, labels: { app: web } }
spec: { containers: [{ name: c }] }
status: { podIP: 10.0.0.1 }
---
apiVersion: v1
kind: Service
metadata: { name: web-headless, namespace: a }
spec: { clusterIP: None, selector: { app: web }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web-alias, namespace: a }
spec: { type: ExternalName, externalName: web.example.com, selector: { app: web }, ports: [{ port: 80 }] }
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: a }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;

describe('Service kinds as the API server and the endpoint controllers leave them', () => {
  const loaded = loadManifests([{ file: 'services.yaml', text: MANIFESTS }]);
  const mesh = resolveMesh(loaded.cluster);
  const byName = (name: string) => mesh.services.find((s) => s.name === name);

  it('reads clusterIP None as headless, with no VIP but its selected pods as endpoints', () => {
    expect(byName('web-headless')).toMatchObject({ headless: true, vips: [], endpoints: ['a/web-0'] });
  });

  it('keeps a Service whose cluster IP is not written down (the API server assigns one) as not headless', () => {
    expect(byName('web')?.headless).toBeUndefined();
  });

  it('gives an ExternalName Service no endpoints, selector or not (kubernetes pkg/controller/endpointslice/endpointslice_controller.go syncService), and keeps its name', () => {
    expect(byName('web-alias')).toMatchObject({ externalName: 'web.example.com', endpoints: [] });
    expect(mesh.diagnostics.filter((d) => d.object === 'Service a/web-alias')).toEqual([]);
  });
});
