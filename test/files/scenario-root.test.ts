import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScenarioFiles, findScenarioFiles, readScenario } from '../../src/files/scenarios.js';

/**
 * Scenario files read only below their root, after kustomize's default load restrictor
 * (kubernetes-sigs/kustomize api/internal/loader/loadrestrictions.go RestrictionRootOnly, on the real
 * path as kyaml/filesys/fsondisk.go CleanedAbs resolves links). Every hostile file lives in a temporary
 * directory: `outside/` beside the scenarios' `root/`, holding a Namespace that must never be loaded.
 */
const LEAK = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: leaked }\n';
const FLOW = '{"id":"leaked","source":{"ip":"10.0.0.1"},"destination":{"ip":"10.0.0.2","port":80}}\n';
const OWN = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: own }\n';

let base = '';
let root = '';
let outside = '';

async function scenario(name: string, body: string): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'own.yaml'), OWN);
  const file = join(dir, 'scenario.yaml');
  await writeFile(file, `name: ${name}\n${body}expect: [{ noPlaintextInto: own }]\n`);
  return file;
}

const namespaces = (p: Awaited<ReturnType<typeof readScenario>>) => p.cluster.namespaces.map((n) => n.meta.ref.name).sort();
const outsideErrors = (p: Awaited<ReturnType<typeof readScenario>>) => p.diagnostics.filter((d) => d.code === 'outside-root');

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'ambient-bench-root-'));
  root = join(base, 'root');
  outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  await writeFile(join(outside, 'passwd.yaml'), LEAK);
  await writeFile(join(outside, 'flows.jsonl'), FLOW);
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('a scenario reads only files below its root (kustomize loadrestrictions.go RestrictionRootOnly)', () => {
  it('refuses a `..` path out of its folder, naming the scenario file and line, the path as written and the root, and does not load it', async () => {
    const file = await scenario('dotdot', 'manifests: [own.yaml, ../../outside/passwd.yaml]\ntraffic: { generate: { count: 1 } }\n');
    const prepared = await readScenario(file);
    expect(namespaces(prepared)).toEqual(['own']);
    expect(outsideErrors(prepared)).toEqual([expect.objectContaining({ severity: 'error', file, line: 2, column: 23 })]);
    const message = outsideErrors(prepared)[0]?.message ?? '';
    expect(message).toContain(`${file}:2:23: manifests names "../../outside/passwd.yaml"`);
    expect(message).toContain(`outside the root ${join(root, 'dotdot')}`);
    expect(message).toContain('--root');
    expect(prepared.unreadable).toBe(true);
  });

  it('reads a `..` path or an absolute path that stays below the root, as RestrictionRootOnly compares the cleaned path', async () => {
    const file = await scenario('comes-back', 'manifests: [../comes-back/own.yaml]\ntraffic: { generate: { count: 1 } }\n');
    await writeFile(join(root, 'comes-back', 'abs.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: absolute }\n');
    await writeFile(file, (await readFile(file, 'utf8')).replace('own.yaml]', `own.yaml, ${join(root, 'comes-back', 'abs.yaml')}]`));
    const prepared = await readScenario(file);
    expect(outsideErrors(prepared)).toEqual([]);
    expect(namespaces(prepared)).toEqual(['absolute', 'own']);
  });

  it('refuses an absolute path outside the root', async () => {
    const file = await scenario('absolute', `manifests: [own.yaml]\ntraffic:\n  flows: ${join(outside, 'flows.jsonl')}\n`);
    const prepared = await readScenario(file);
    expect(prepared.flows).toEqual([]);
    expect(outsideErrors(prepared)).toEqual([expect.objectContaining({ line: 4, message: expect.stringContaining(`traffic.flows names "${join(outside, 'flows.jsonl')}"`) })]);
  });

  it('refuses a link inside the root that points outside it, as the real path is checked (fsondisk.go CleanedAbs, EvalSymlinks)', async () => {
    const file = await scenario('link', 'manifests: [own.yaml, inside.yaml]\ntraffic: { generate: { count: 1 } }\n');
    await symlink(join(outside, 'passwd.yaml'), join(root, 'link', 'inside.yaml'));
    const prepared = await readScenario(file);
    expect(namespaces(prepared)).toEqual(['own']);
    expect(outsideErrors(prepared)).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('manifests names "inside.yaml"') })]);
  });

  it('refuses a link found inside a directory it names, pointing outside the root', async () => {
    const file = await scenario('dirlink', 'manifests: [cluster/]\ntraffic: { generate: { count: 1 } }\n');
    await mkdir(join(root, 'dirlink', 'cluster'));
    await writeFile(join(root, 'dirlink', 'cluster', 'a.yaml'), OWN);
    await symlink(join(outside, 'passwd.yaml'), join(root, 'dirlink', 'cluster', 'b.yaml'));
    const prepared = await readScenario(file);
    expect(namespaces(prepared)).toEqual(['own']);
    expect(outsideErrors(prepared)).toEqual([expect.objectContaining({
      file, line: 2,
      message: expect.stringContaining(`${join(root, 'dirlink', 'cluster', 'b.yaml')}, found in a directory named there, leads outside the root ${join(root, 'dirlink')}`),
    })]);
  });

  it.each([
    ['traffic.flows', 'traffic:\n  flows: [../../outside/flows.jsonl]\n'],
    ['traffic.trace', 'traffic:\n  trace: ../../outside/demo.pcap\n'],
    ['traffic.flowLog', 'traffic:\n  flowLog: [../../outside/flows.jsonl]\n'],
    ['whatIf apply', 'traffic: { generate: { count: 1 } }\nwhatIf:\n  - apply: [own.yaml, ../../outside/passwd.yaml]\n'],
  ])('refuses %s outside the root, at the line of the path', async (field, body) => {
    const file = await scenario(`field-${field.replace(/\W/g, '-')}`, `manifests: [own.yaml]\n${body}`);
    const prepared = await readScenario(file);
    expect(prepared.flows.map((f) => f.id)).not.toContain('leaked');
    expect(outsideErrors(prepared)).toEqual([expect.objectContaining({ file, line: body.split('\n').findIndex((l) => l.includes('outside')) + 3, message: expect.stringContaining(`${field} names "../../outside/`) })]);
  });

  it('with a directory given to check, that directory is the root of every scenario below it: a sibling folder is inside', async () => {
    await mkdir(join(root, 'common'), { recursive: true });
    await writeFile(join(root, 'common', 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: common }\n');
    const file = await scenario('sibling', 'manifests: [own.yaml, ../common/ns.yaml]\ntraffic: { generate: { count: 1 } }\n');
    const found = await findScenarioFiles([root]);
    expect(found.roots[found.files.indexOf(file)]).toBe(root);
    expect(outsideErrors(await readScenario(file, { root }))).toEqual([]);
    expect(namespaces(await readScenario(file, { root }))).toEqual(['common', 'own']);
    // Given on its own, the scenario's folder is its root, and ../common is outside.
    expect(outsideErrors(await readScenario(file))).toHaveLength(1);
  });

  it('--root allows what lies below it, `..` paths and links included', async () => {
    const file = await scenario('allowed', 'manifests: [own.yaml, ../../outside/passwd.yaml]\ntraffic: { generate: { count: 1 } }\n');
    const { checks, diagnostics } = await checkScenarioFiles([file], { root: base });
    expect(diagnostics).toEqual([]);
    expect(checks[0]?.diagnostics.filter((d) => d.code === 'outside-root')).toEqual([]);
    expect(namespaces(await readScenario(file, { root: base }))).toEqual(['leaked', 'own']);
  });

  it('--root must be an existing directory', async () => {
    const missing = await checkScenarioFiles([root], { root: join(base, 'missing') });
    expect(missing.checks).toEqual([]);
    expect(missing.diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'unreadable-input', message: expect.stringContaining('--root must be an existing directory') })]);
    const notDir = await checkScenarioFiles([root], { root: join(outside, 'passwd.yaml') });
    expect(notDir.diagnostics).toHaveLength(1);
  });
});

describe('a scenario reads only regular files and directories', () => {
  it('refuses a named pipe it names as a manifest, a capture or a flows file, at the scenario line, instead of waiting on it for a writer', async () => {
    const file = await scenario('special', 'manifests: [own.yaml, pipe.yaml]\ntraffic: { trace: cap.pcap, flows: flows.jsonl }\n');
    const dir = join(root, 'special');
    execFileSync('mkfifo', [join(dir, 'pipe.yaml'), join(dir, 'cap.pcap'), join(dir, 'flows.jsonl')]);
    const r = await readScenario(file, { root });
    const special = r.diagnostics.filter((d) => d.code === 'not-a-regular-file');
    expect(special.map((d) => [d.line, d.message.match(/names "([^"]+)", which is ([a-z ]+);/)?.slice(1)])).toEqual([
      [2, ['pipe.yaml', 'a named pipe']],
      [3, ['flows.jsonl', 'a named pipe']],
      [3, ['cap.pcap', 'a named pipe']],
    ]);
    expect(namespaces(r)).toEqual(['own']);
  }, 30_000);
});
