import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenarioFiles } from '../../../src/files/scenarios.js';
import { failureMessage } from '../../../src/report/check-describe.js';
import { renderJunit } from '../../../src/report/junit.js';

const CLUSTER = resolve(__dirname, '../../../scenarios/waypoint-breaks-l4-policy');

/** Checks a scenario written in a fresh folder beside copies of the L4 cluster's manifests' paths. */
async function check(body: string) {
  const dir = mkdtempSync(join(tmpdir(), 'timeline-check-'));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, `name: timeline check\nmanifests: [${CLUSTER}/cluster.yaml, ${CLUSTER}/policies.yaml]\n${body}`);
  const { checks } = await checkScenarioFiles([file], { root: '/' });
  return checks[0];
}

const TRAFFIC = `traffic:
  flows:
    - { id: early, source: { workload: orders/checkout }, destination: { service: payments/api, port: 80 }, time: 1 }
    - { id: late, source: { workload: orders/checkout }, destination: { service: payments/api, port: 80 }, time: 20 }
`;
const TIMELINE = `timeline:
  - { at: 0, phase: open }
  - { at: 10, phase: waypoint }
  - { at: 10, addWaypoint: { namespace: payments, name: waypoint } }
  - { at: 10, useWaypoint: { namespace: payments, waypoint: waypoint } }
`;

describe('check with a timeline', () => {
  it('checks a during expectation over the flows of its phase only, and changes at a phase boundary', async () => {
    const c = await check(`${TRAFFIC}${TIMELINE}expect:
  - { during: open, flow: early, verdict: allow }
  - { during: waypoint, flow: late, verdict: deny, reason: no-allow-policy-matched }
  - { during: open, flow: late, verdict: deny }
  - { changes: { allowedToDenied: 2 }, at: waypoint }
  - { changes: none, at: open }
`);
    expect(c?.outcomes.map((o) => o.passed)).toEqual([true, true, false, true, true]);
    expect(c?.outcomes[2]?.failure).toEqual({ kind: 'flow-missing', flow: 'late' });
    expect(c?.phases?.map((p) => [p.phase.name, p.changes.allowedToDenied])).toEqual([['open', 0], ['waypoint', 2]]);
  });

  it('fails an expectation naming a phase the timeline does not have, listing the phases it has', async () => {
    const c = await check(`${TRAFFIC}${TIMELINE}expect:\n  - { during: rollout, noPlaintextInto: payments }\n  - { changes: none, at: later }\n`);
    expect(c?.status).toBe('failed');
    expect(c?.outcomes.map((o) => o.failure && failureMessage(o.failure))).toEqual([
      'no phase "rollout" in the timeline; its phases are "open", "waypoint"',
      'no phase "later" in the timeline; its phases are "open", "waypoint"',
    ]);
  });

  it('fails a during expectation in a scenario without a timeline instead of ignoring it', async () => {
    const c = await check(`${TRAFFIC}expect:\n  - { during: open, flow: early, verdict: allow }\n`);
    expect(c?.outcomes[0]?.failure && failureMessage(c.outcomes[0].failure)).toBe('no phase "open": the scenario has no timeline with phases');
  });

  it('applies whatIf steps at time 0, before the timeline\'s own events', async () => {
    const c = await check(`${TRAFFIC}whatIf:\n  - addWaypoint: { namespace: payments, name: waypoint }\n  - useWaypoint: { namespace: payments, waypoint: waypoint }\ntimeline:\n  - { at: 0, phase: all }\nexpect:\n  - { flow: early, verdict: deny }\n  - { changes: { allowedToDenied: 2 } }\n`);
    expect(c?.outcomes.map((o) => o.passed)).toEqual([true, true]);
  });

  it('names each phase expectation in JUnit', async () => {
    const c = await check(`${TRAFFIC}${TIMELINE}expect:\n  - { during: waypoint, flow: late, verdict: deny }\n`);
    expect(renderJunit(c ? [c] : [])).toContain('<testcase name="during waypoint: flow late: verdict deny"');
  });

  it('reports a malformed during, changes.at and closedReason at their line', async () => {
    const c = await check(`${TRAFFIC}${TIMELINE}expect:\n  - { during: 3, flow: late, verdict: deny }\n  - { changes: none, at: "" }\n  - { flow: late, closedReason: forever }\n`);
    expect(c?.status).toBe('error');
    expect(c?.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message.replace(/^.*scenario\.yaml:/, ''))).toEqual([
      '13:15: during takes the name of a phase of the timeline, got number "3"',
      '14:26: changes.at takes the name of a phase of the timeline, got string ""',
      '15:33: closedReason must be one of closed-by-policy-update, waypoint-unavailable, ztunnel-restarting, or null for a connection not closed early, got string "forever"',
    ]);
  });
});

describe('check with a timeline reads only below the scenario root', () => {
  it('refuses a timeline apply file outside the root, at its line, without opening it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'timeline-root-'));
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, `name: outside\nmanifests: [cluster.yaml]\n${TRAFFIC}timeline:\n  - { at: 1, apply: [/etc/passwd] }\nexpect:\n  - { flow: early, verdict: allow }\n`);
    writeFileSync(join(dir, 'cluster.yaml'), '');
    const { checks } = await checkScenarioFiles([file]);
    const refused = checks[0]?.diagnostics.filter((d) => d.code === 'outside-root');
    expect(refused?.map((d) => d.line)).toEqual([8]);
    expect(checks[0]?.status).toBe('error');
  });
});
