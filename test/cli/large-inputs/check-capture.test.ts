import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNT, DEMO, runToFile, scratchDir, TIMEOUT, TITLE } from './large-input-files.js';
import { udpCapture } from './udp-capture.js';

const dir = scratchDir();

describe(TITLE, () => {
  it('check replays a scenario whose capture yields that many flows', () => {
    const scenario = join(dir, 'capture-scenario');
    mkdirSync(scenario);
    udpCapture(join(scenario, 'capture.pcap'), COUNT);
    // The cluster is copied in: a scenario reads only below its own folder, the root of `check <dir>`.
    cpSync(DEMO, join(scenario, 'cluster'), { recursive: true });
    writeFileSync(join(scenario, 'scenario.yaml'), `name: A capture of ${COUNT} UDP conversations\nmanifests: [cluster/]\ntraffic:\n  trace: [capture.pcap]\nexpect:\n  - noPlaintextInto: kube-system\n`);
    const r = runToFile(dir, ['check', scenario, '-o', 'json'], 'check.out');
    expect(r.stderr).not.toMatch(/internal error/);
    const report = JSON.parse(readFileSync(r.out, 'utf8'));
    expect(report.scenarios?.[0]?.summary?.flows ?? report.checks?.[0]?.summary?.flows).toBe(COUNT);
    rmSync(scenario, { recursive: true });
  }, TIMEOUT);
});
