import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/**
 * `check --root`: scenario files read only below their root, as kustomize's default load restrictor
 * (kubernetes-sigs/kustomize api/internal/loader/loadrestrictions.go RestrictionRootOnly).
 */
const base = mkdtempSync(join(tmpdir(), 'ambient-bench-check-root-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

mkdirSync(join(base, 'etc'));
writeFileSync(join(base, 'etc', 'passwd.yaml'), [
  'apiVersion: v1\nkind: Namespace\nmetadata: { name: leaked }',
  'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: leaked, labels: { app: p } }\nspec: { containers: [{ name: c, ports: [{ containerPort: 8080 }] }] }\nstatus: { phase: Running, podIP: 10.0.0.7 }',
  'apiVersion: v1\nkind: Service\nmetadata: { name: p, namespace: leaked }\nspec: { clusterIP: 10.96.0.7, selector: { app: p }, ports: [{ port: 80, targetPort: 8080 }] }',
].join('\n---\n'));
const dir = join(base, 'scenarios', 'reads-etc');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'scenario.yaml'), 'name: reads etc\nmanifests: [../../etc/passwd.yaml]\ntraffic: { generate: { count: 50, seed: 1 } }\nexpect: [{ noPlaintextInto: leaked }]\n');

describe('check --root', () => {
  it('exits 2 on a scenario path outside the root, naming the scenario line, the path and the root, and telling to pass --root', () => {
    const r = runCli(['check', join(base, 'scenarios'), '-o', 'json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { scenarios: { diagnostics: { code: string; line: number; message: string }[] }[] };
    const diagnostic = report.scenarios[0]?.diagnostics.find((d) => d.code === 'outside-root');
    expect(diagnostic?.line).toBe(2);
    expect(diagnostic?.message).toContain('"../../etc/passwd.yaml"');
    expect(diagnostic?.message).toContain(`outside the root ${join(base, 'scenarios')}`);
    expect(diagnostic?.message).toContain('--root');
  });

  it('reads what lies below --root', () => {
    // The file is read: its pod is outside the mesh, so plaintext reaches it and the invariant breaks.
    const r = runCli(['check', '--root', base, join(base, 'scenarios')]);
    expect(r.stdout).not.toContain('outside-root');
    expect(r.stdout).toContain('noPlaintextInto(leaked) is broken');
    expect(r.code).toBe(1);
  });

  it('exits 2 when --root is not an existing directory', () => {
    const r = runCli(['check', '--root', join(base, 'etc', 'passwd.yaml'), join(base, 'scenarios')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('--root must be an existing directory');
  });

  it('says what --root does in its help', () => {
    expect(runCli(['check', '--help']).stdout).toMatch(/--root <dir>\s+directory the scenarios may read files below/);
  });
});
