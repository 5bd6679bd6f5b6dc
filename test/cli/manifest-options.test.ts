import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const DEMO = 'scenarios/demo/cluster';
const FLOWS = 'scenarios/demo/flows.yaml';
const DEMO_FILES = readdirSync(resolve(ROOT, DEMO)).sort().map((f) => join(DEMO, f));
/** The demo cluster as one multi-document stream, as `cat` or `kubectl get -o yaml` hands it on. */
const DEMO_STREAM = DEMO_FILES.map((f) => readFileSync(resolve(ROOT, f), 'utf8')).join('\n---\n');
const EXPLAIN = ['--from', 'orders/checkout-service', '--to', 'fintech-core/payment-processor:80', '-o', 'json'];

/** Each command that takes `-f`, with `-f` given as `manifests` and the rest of its arguments. */
const COMMANDS: readonly [string, (manifests: readonly string[]) => string[]][] = [
  ['simulate', (m) => ['simulate', ...m, '--flows', FLOWS, '-o', 'json']],
  ['validate', (m) => ['validate', ...m, '-o', 'json']],
  ['explain', (m) => ['explain', ...m, ...EXPLAIN]],
  ['diff', (m) => ['diff', ...m, '--what-if', 'scenarios/mesh-goes-strict/scenario.yaml', '--flows', FLOWS, '-o', 'json']],
];

/** What a run decided, without the file names its diagnostics carry. */
function decided(stdout: string): unknown {
  const out = JSON.parse(stdout) as Record<string, unknown>;
  const { diagnostics, ...rest } = out;
  return { ...rest, codes: (diagnostics as { code: string }[] | undefined)?.map((d) => d.code).sort() };
}

describe('-f takes manifests as kubectl -f does', () => {
  const reference = new Map(COMMANDS.map(([name, args]) => [name, runCli(args(['-f', DEMO]))]));

  it.each(COMMANDS)('%s reads the directory given with -f', (name) => {
    expect(reference.get(name)?.code).toBe(0);
  });

  it.each(COMMANDS)('%s takes comma-separated lists and repeats (-f a.yaml,b.yaml -f c.yaml), --filename as the long form, and -R', (name, args) => {
    const [first, second, ...rest] = DEMO_FILES;
    const r = runCli(args(['--filename', `${first},${second}`, ...rest.flatMap((f) => ['-f', f]), '-R']));
    expect(r.stderr).toBe('');
    expect(decided(r.stdout)).toEqual(decided(reference.get(name)?.stdout as string));
  });

  it('accepts --recursive, the long form of -R, and --file, the long form of earlier versions', () => {
    expect(runCli(['validate', '--recursive', '--file', DEMO, '-o', 'json']).stdout).toBe(reference.get('validate')?.stdout);
  });

  it.each(COMMANDS)('%s reads manifests from standard input with -f -', (name, args) => {
    const r = runCli(args(['-f', '-']), DEMO_STREAM);
    expect(r.stderr).toBe('');
    expect(decided(r.stdout)).toEqual(decided(reference.get(name)?.stdout as string));
  });

  it('names standard input (stdin) in diagnostics', () => {
    const out = JSON.parse(runCli(['validate', '-f', '-', '-o', 'json'], DEMO_STREAM).stdout);
    expect(out.diagnostics.map((d: { file: string }) => d.file)).toContain('(stdin)');
  });

  it.each(COMMANDS)('%s: a path that does not exist is a usage error, on stderr, with nothing on stdout', (_name, args) => {
    const r = runCli(args(['-f', DEMO, '-f', 'no/such/dir']));
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('ambient-bench: -f no/such/dir: no such file or directory\n');
  });

  it('a missing path in a comma-separated list, or under --before or --after, is a usage error too', () => {
    expect(runCli(['validate', '-f', `${DEMO},missing.yaml`])).toMatchObject({ code: 2, stdout: '', stderr: 'ambient-bench: -f missing.yaml: no such file or directory\n' });
    const diff = runCli(['diff', '--before', DEMO, '--after', 'missing', '--flows', FLOWS]);
    expect(diff).toMatchObject({ code: 2, stdout: '', stderr: 'ambient-bench: --after missing: no such file or directory\n' });
  });

  it('standard input is read once: -f - with --flows -, or -f - twice, is a usage error', () => {
    expect(runCli(['simulate', '-f', '-', '--flows', '-'], '')).toMatchObject({ code: 2, stdout: '', stderr: 'ambient-bench: -f - and --flows - both read standard input; give one of them a file\n' });
    expect(runCli(['validate', '-f', '-', '-f', '-'], '')).toMatchObject({ code: 2, stdout: '', stderr: 'ambient-bench: -f - can be given once: standard input is read once\n' });
  });
});
