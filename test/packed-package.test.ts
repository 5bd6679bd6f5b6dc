import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlocks } from './support/markdown.js';
import { runCli } from './cli/run-cli.js';

/**
 * The package as users get it, from what the README tells them to run: the "Install ambient-bench"
 * step of the README's CI recipes runs as written (with `AMBIENT_BENCH_GIT` this repository, so it
 * clones the committed HEAD, and npm's global prefix in a temporary directory): clone, `npm ci`,
 * `npm pack`, `npm install --global` of the tarball. Then the installed `ambient-bench` command runs,
 * and a project with nothing but the installed package imports every entry point and type-checks the
 * README's TypeScript examples with the strictest compiler options. One pack and one install.
 */
const ROOT = resolve(__dirname, '..');
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
const TSC = resolve(ROOT, 'node_modules/typescript/bin/tsc');

interface Step { readonly name?: string; readonly run?: string }

/** The `run` of every step named "Install ambient-bench" in the README's workflow examples. */
function installSteps(): string[] {
  return codeBlocks(README, 'yaml')
    .map((b) => parse(b) as { jobs?: Record<string, { steps?: Step[] }> } | null)
    .flatMap((w) => Object.values(w?.jobs ?? {}).flatMap((j) => j.steps ?? []))
    .filter((s) => s.name === 'Install ambient-bench')
    .map((s) => s.run ?? '');
}

let temp: string;
let install: { status: number | null; stdout: string; stderr: string };
const globalPrefix = () => join(temp, 'global');
const installed = () => join(globalPrefix(), 'lib/node_modules/ambient-bench');

function run(command: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', npm_config_prefix: globalPrefix() } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'ambient-bench-pack-'));
  const script = installSteps()[0] ?? 'false';
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: temp, encoding: 'utf8', timeout: 300_000,
    env: { ...process.env, AMBIENT_BENCH_GIT: ROOT, RUNNER_TEMP: temp, npm_config_prefix: globalPrefix(), npm_config_prefer_offline: 'true' },
  });
  install = { status: r.status, stdout: r.stdout, stderr: r.stderr };
}, 300_000);

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the package, installed as the README says', () => {
  it('is installed by the same commands in both CI recipes', () => {
    const steps = installSteps();
    expect(steps.length).toBe(2);
    expect(steps[1]).toBe(steps[0]);
    expect(steps[0]).not.toMatch(/npm install --global ambient-bench\b/);
    expect(install.stderr.split('\n').filter((l) => /npm error/.test(l))).toEqual([]);
    expect(install.status).toBe(0);
  });

  it('ships the built code, LICENSE and the JSON Schemas, and no sources or source maps', () => {
    const files = run('find', ['.', '-path', './node_modules', '-prune', '-o', '-type', 'f', '-print'], installed()).stdout.split('\n').filter(Boolean);
    expect(files).toContain('./dist/cli/main.js');
    expect(files).toContain('./LICENSE');
    expect(files.filter((f) => f.startsWith('./schemas/')).sort()).toEqual(
      ['flows', 'scenario', 'timeline', 'what-if'].map((n) => `./schemas/${n}.schema.json`),
    );
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('./src/') || f.startsWith('./test/'))).toEqual([]);
  });

  it('puts the ambient-bench command on the PATH, and it runs the demo', () => {
    const bin = join(globalPrefix(), 'bin/ambient-bench');
    expect(run(bin, ['--version'], temp).stdout.trim()).toBe('0.1.0');
    const demo = run(bin, ['simulate', '-f', join(ROOT, 'scenarios/demo/cluster'), '--flows', join(ROOT, 'scenarios/demo/flows.yaml'), '-o', 'json'], temp);
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    expect(JSON.parse(demo.stdout).summary.flows).toBeGreaterThan(0);
  }, 120_000);

  it('writes the HTML report the built CLI writes, byte for byte (the page the browser tests open)', () => {
    const bin = join(globalPrefix(), 'bin/ambient-bench');
    const args = ['simulate', '-f', join(ROOT, 'scenarios/demo/cluster'), '--flows', join(ROOT, 'scenarios/demo/flows.yaml'), '-o', 'html'];
    const html = run(bin, args, temp);
    expect(html.stderr).toBe('');
    expect(html.status).toBe(0);
    expect(html.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.stdout).toBe(runCli(args).stdout);
  }, 120_000);

  it('is imported by a strict TypeScript project: every entry point, and the README examples type-check', () => {
    const project = join(temp, 'consumer');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(installed(), join(project, 'node_modules/ambient-bench'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true,
        noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noUnusedLocals: true, skipLibCheck: false,
        typeRoots: [resolve(ROOT, 'node_modules/@types')], types: ['node'],
      },
      include: ['*.ts'],
    }));
    codeBlocks(README, 'ts').forEach((b, i) => writeFileSync(join(project, `readme-${i + 1}.ts`), `${b}\nexport {};\n`));
    writeFileSync(join(project, 'entries.ts'), [
      "import { simulateFlows, parseWhatIf, type FlowResult } from 'ambient-bench';",
      "import { loadManifestFiles } from 'ambient-bench/files';",
      "import { noChangeUnder, fc } from 'ambient-bench/testing';",
      'const { cluster } = await loadManifestFiles([process.argv[2] ?? "."]);',
      "const results: readonly FlowResult[] = simulateFlows(cluster, []).results;",
      "console.log(results.length, noChangeUnder(parseWhatIf([{ ambient: 'shop' }]).steps).name, typeof fc.integer);",
      '',
    ].join('\n'));
    const tsc = run(process.execPath, [TSC, '-p', 'tsconfig.json'], project);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    writeFileSync(join(project, 'entries.mjs'), [
      "import { simulateFlows, parseWhatIf } from 'ambient-bench';",
      "import { loadManifestFiles } from 'ambient-bench/files';",
      "import { noChangeUnder, fc } from 'ambient-bench/testing';",
      'const { cluster } = await loadManifestFiles([process.argv[2]]);',
      "console.log(simulateFlows(cluster, []).results.length, noChangeUnder(parseWhatIf([{ ambient: 'shop' }]).steps).name, typeof fc.integer);",
      '',
    ].join('\n'));
    const node = run(process.execPath, ['entries.mjs', join(ROOT, 'scenarios/demo/cluster')], project);
    expect(node.stderr).toBe('');
    expect(node.stdout).toBe('0 noChangeUnder(ambient) function\n');
  }, 180_000);
});
