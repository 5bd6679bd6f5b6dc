import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocuments } from '../../src/load/manifests/parse-documents.js';
import { cliCommand, runCli } from '../../test/cli/run-cli.js';

/**
 * The Kubernetes example (shard-job.yaml, Dockerfile): the manifests read with the project's own
 * loader and checked field by field as the API server would need them, then the Jobs' own commands
 * run here as local processes, one per completion index, with the volumes as local directories; the
 * merged report must be the report of one process over the same captures.
 */
const HERE = resolve(__dirname);
const ROOT = resolve(HERE, '../..');
const parsed = parseDocuments(readFileSync(join(HERE, 'shard-job.yaml'), 'utf8'), 'shard-job.yaml');
const objects = parsed.objects.map((o) => o.value as any);
const byName = (kind: string, name: string): any => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const shards = byName('Job', 'ambient-bench-shards');
const merge = byName('Job', 'ambient-bench-merge');
const script = (job: any): string => {
  const command = job.spec.template.spec.containers[0].command as string[];
  expect(command.slice(0, 2)).toEqual(['sh', '-c']);
  return command[2] as string;
};

const work = mkdtempSync(join(tmpdir(), 'ambient-bench-k8s-'));
afterAll(() => { if (!process.env["KEEP_K8S"]) rmSync(work, { recursive: true, force: true }); });

/** Runs a Job's script as its pod would, the volumes mounted from local directories. */
function runScript(text: string, env: Record<string, string>): { code: number; stderr: string } {
  const local = text.replaceAll('/cluster', join(ROOT, 'scenarios/demo/cluster')).replaceAll('/captures', join(work, 'captures')).replaceAll('/reports', join(work, 'reports'));
  const r = spawnSync('sh', ['-c', local], { cwd: work, encoding: 'utf8', env: { ...process.env, ...env, PATH: `${bin()}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status ?? -1, stderr: r.stderr };
}

/** A directory with `ambient-bench` in it, as the image installs it: the CLI built for this test run. */
function bin(): string {
  const dir = join(work, 'bin');
  if (!existsSync(dir)) {
    mkdirSync(dir);
    const cli = cliCommand([]);
    writeFileSync(join(dir, 'ambient-bench'), `#!/bin/sh\nexec ${[cli.command, ...cli.args].map((a) => `'${a}'`).join(' ')} "$@"\n`, { mode: 0o755 });
  }
  return dir;
}

describe('examples/kubernetes: an Indexed Job of shards and a merge Job', () => {
  it('loads as valid manifests: batch/v1 Jobs, the shards Job Indexed with as many completions as shards', () => {
    expect(parsed.diagnostics).toEqual([]);
    for (const job of [shards, merge]) {
      expect(job.apiVersion).toBe('batch/v1');
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
      expect(job.spec.template.spec.containers[0].image).toMatch(/^ambient-bench:/);
    }
    expect(shards.spec.completionMode).toBe('Indexed');
    const count = shards.spec.completions as number;
    expect(shards.spec.parallelism).toBe(count);
    expect(script(shards)).toContain(`--shard "$k/${count}"`);
    expect(script(shards)).toContain('JOB_COMPLETION_INDEX');
    expect(script(merge)).toContain('ambient-bench merge /reports/shard-*.jsonl');
  });

  it('mounts only volumes it defines, and claims only what exists: the reports claim is in the file, ReadWriteMany', () => {
    for (const job of [shards, merge]) {
      const pod = job.spec.template.spec;
      const volumes = new Set(pod.volumes.map((v: any) => v.name));
      for (const m of pod.containers[0].volumeMounts) expect(volumes.has(m.name), m.name).toBe(true);
    }
    const reports = byName('PersistentVolumeClaim', 'ambient-bench-reports');
    expect(reports.spec.accessModes).toEqual(['ReadWriteMany']);
    const claims = [shards, merge].flatMap((j) => j.spec.template.spec.volumes.map((v: any) => v.persistentVolumeClaim?.claimName).filter(Boolean));
    expect(claims).toContain('ambient-bench-reports');
  });

  it('the Dockerfile builds from files the repository has and runs the CLI the package installs', () => {
    const dockerfile = readFileSync(join(HERE, 'Dockerfile'), 'utf8');
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) for (const f of (m[1] as string).split(/\s+/)) expect(existsSync(join(ROOT, f)), f).toBe(true);
    const bin = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).bin['ambient-bench'];
    expect(dockerfile).toContain(`/opt/ambient-bench/${bin}`);
    expect(dockerfile).toMatch(/ENTRYPOINT \["ambient-bench"\]/);
  });

  it('run locally, one process per completion index, its shards merge into the report of one process', () => {
    mkdirSync(join(work, 'captures/node-a'), { recursive: true });
    mkdirSync(join(work, 'captures/node-b'), { recursive: true });
    mkdirSync(join(work, 'reports'));
    copyFileSync(join(ROOT, 'traces/demo.pcap'), join(work, 'captures/node-a/demo.pcap'));
    copyFileSync(join(ROOT, 'traces/demo.pcap'), join(work, 'captures/node-b/demo-copy.pcap'));
    const count = shards.spec.completions as number;
    for (let index = 0; index < count; index++) {
      const r = runScript(script(shards), { JOB_COMPLETION_INDEX: String(index) });
      expect(r.code, r.stderr).toBe(0);
    }
    const m = runScript(script(merge), {});
    expect(m.code, m.stderr).toBe(0);
    const single = runCli(['simulate', '-f', join(ROOT, 'scenarios/demo/cluster'), '--trace', join(work, 'captures/node-a/demo.pcap'), join(work, 'captures/node-b/demo-copy.pcap'), '-o', 'jsonl']);
    expect(single.code).toBe(0);
    expect(readFileSync(join(work, 'reports/merged.jsonl'), 'utf8')).toBe(single.stdout);
  });
});
