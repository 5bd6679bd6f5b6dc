import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenarioFiles } from '../../src/files/scenarios.js';
import { renderCheckText } from '../../src/report/check-text.js';
import { makeStyle } from '../../src/report/style.js';

const REPO = resolve(__dirname, '../..');
const DEMO = resolve(REPO, 'scenarios/demo/cluster');

function scenario(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ab-gen-'));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, `name: generated\nmanifests: [${DEMO}]\n${body}`);
  return file;
}

describe('a scenario with traffic.generate', () => {
  it('replays count generated flows and checks its invariants over them', async () => {
    const { checks } = await checkScenarioFiles([scenario('traffic:\n  generate: { count: 300, seed: 5 }\nexpect:\n  - onlyReachable: { to: orders/order-service, from: [frontend/*, orders/*] }\n')], { root: REPO });
    expect(checks[0]?.summary.flows).toBe(300);
    expect(checks[0]?.results[0]?.id).toBe('generated-1');
  });

  it('reports a failed invariant shrunk to its smallest flow, with the fewest policies and the replay command', async () => {
    const { checks } = await checkScenarioFiles([scenario('traffic:\n  generate: { count: 500, seed: 5 }\nexpect:\n  - noPlaintextInto: fintech-core\n')], { root: REPO });
    const check = checks[0];
    expect(check?.status).toBe('failed');
    expect(check?.shrunk?.[0]?.check.counterexample?.result).toMatchObject({ verdict: 'allow', encrypted: false });
    const text = renderCheckText(checks, makeStyle(false));
    expect(text).toContain('shrunk (fast-check, over generated flows):');
    expect(text).toContain('noPlaintextInto(fintech-core) is broken');
    expect(text).toContain(`replay the flow: ambient-bench explain -f ${DEMO}`);
    expect(text).toContain('fewest policies that still produce it: none of 8');
  });
});

describe('a scenario invariant that names what the cluster does not have', () => {
  it('fails with the unknown names and the expectation\'s file:line, instead of holding over 300 generated flows', async () => {
    const file = scenario('traffic:\n  generate: { count: 300, seed: 5 }\nexpect:\n  - noPlaintextInto: fintech-cor\n  - onlyReachable: { to: orders/order-svc, from: [frontend/*, ordrs/*] }\n  - noPlaintextInto: fintech-core\n');
    const { checks } = await checkScenarioFiles([file], { root: REPO });
    const check = checks[0];
    expect(check?.status).toBe('failed');
    expect(check?.outcomes.map((o) => o.failure?.kind)).toEqual(['unknown-reference', 'unknown-reference', 'plaintext-into']);
    expect(check?.outcomes[1]?.failure).toEqual({ kind: 'unknown-reference', refs: [{ field: 'to', ref: 'orders/order-svc' }, { field: 'from', ref: 'ordrs/*' }] });
    expect(check?.shrunk?.map((s) => s.outcome)).toEqual([2]);
    const text = renderCheckText(checks, makeStyle(false));
    expect(text).toContain('namespace "fintech-cor" has no workload or Service: the invariant would hold over any traffic');
    expect(text).toContain(`(${file}:6)`);
  });
});
