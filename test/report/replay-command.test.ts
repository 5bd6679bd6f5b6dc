import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/model/flow.js';
import { replayCommand } from '../../src/report/replay-command.js';
import { CONTROLS, hostileText, rawControl } from './escaping-fixtures.js';

const flow = (id: string, path: string): Flow => ({
  id, source: { workload: 'orders/checkout' }, destination: { service: 'payments/api', port: 80 }, protocol: 'http',
  http: { method: 'GET', path, headers: {} }, time: 0,
});

/** The arguments a POSIX shell with dollar-single quotes (bash) reads back from a printed command. */
function argumentsOf(command: string): string[] {
  const r = spawnSync('bash', ['-c', `set -- ${command.replace(/^ambient-bench /, '')}; printf '%s\\0' "$@"`], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  return r.stdout.split('\0').slice(0, -1);
}

describe('replayCommand()', () => {
  it('quotes plain arguments as before', () => {
    expect(replayCommand(flow('checkout-pays', "/it's"), ['cluster/'])).toBe(
      "ambient-bench explain -f cluster/ --from orders/checkout --to payments/api:80 --protocol http --method GET --path '/it'\\''s' --id checkout-pays",
    );
  });

  it('shows control characters as \\xNN in $\'...\' quotes, and bash reads back the same values', () => {
    const noNul = hostileText.filter((s) => !s.includes('\u0000'));
    expect(CONTROLS).toContain('\u001b');
    fc.assert(fc.property(noNul, noNul, (id, path) => {
      const command = replayCommand(flow(id, `/${path}`), ['cluster/']);
      expect(rawControl(command, false)).toBeNull();
      expect(command.includes('\n')).toBe(false);
      const args = argumentsOf(command);
      expect(args[args.indexOf('--id') + 1]).toBe(id);
      expect(args[args.indexOf('--path') + 1]).toBe(`/${path}`);
    }), { numRuns: 40 });
  });
});
