import { spawnSync } from 'node:child_process';
import { it } from 'vitest';

/**
 * A program from a Debian package that tests run for real (Graphviz's `dot`, Prometheus's
 * `promtool`). Where it is missing, its tests are skipped on a developer's machine, and fail with a
 * message naming the package under CI (`CI=true`, as .ci/run and CI services set it), where a skip
 * would hide that they did not run.
 */
export interface SystemTool {
  readonly name: string;
  readonly available: boolean;
  /** `it`, or `it.skip` when the tool is missing outside CI. */
  readonly it: ToolTest;
  /** Runs the tool; throws its stderr when it exits non-zero. */
  run(args: readonly string[], input?: string): { stdout: string; stderr: string; status: number };
}

type ToolTest = (title: string, fn: () => unknown, timeout?: number) => void;

export function systemTool(name: string, debianPackage: string): SystemTool {
  const found = spawnSync(name, ['--version'], { encoding: 'utf8' });
  const available = found.error === undefined;
  const inCi = process.env['CI'] === 'true' || process.env['CI'] === '1';
  const missing = `${name} is not installed: the tests that run it need Debian's package ${debianPackage} (apt-get install -y ${debianPackage}; .ci/run installs it)`;
  const guarded: ToolTest = (title, fn, timeout) => it(title, () => {
    if (!available) throw new Error(missing);
    return fn();
  }, timeout);
  const skipped: ToolTest = (title, fn, timeout) => it.skip(`${title} (skipped: ${missing})`, fn, timeout);
  return {
    name, available,
    it: available || inCi ? guarded : skipped,
    run(args, input) {
      const r = spawnSync(name, args, { encoding: 'utf8', ...(input !== undefined ? { input } : {}), maxBuffer: 64 * 1024 * 1024 });
      if (r.error) throw new Error(missing);
      return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
    },
  };
}
