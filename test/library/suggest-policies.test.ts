import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { listensAt, loadManifests, parseFlows, prepareMesh, readCaptureBytes, renderSuggestionYaml, simulateFlows, suggestPolicies, SUGGESTED_POLICIES_FILE, validateManifests } from '../../src/index.js';
import type { Cluster } from '../../src/model/cluster.js';
import type { Flow } from '../../src/model/flow.js';

const SCENARIOS = resolve(__dirname, '../../scenarios');

/**
 * The cluster a scenario folder describes: the manifests its scenario.yaml names (files, or folders
 * of YAML), else the YAML of the folder (or of its cluster/), without scenario and flows files.
 */
function clusterOf(dir: string): Cluster {
  const scenario = join(dir, 'scenario.yaml');
  const named = existsSync(scenario) ? (parse(readFileSync(scenario, 'utf8')) as { manifests?: string[] }).manifests : undefined;
  const folders = named ?? [existsSync(join(dir, 'cluster')) ? 'cluster' : '.'];
  const files = folders.flatMap((entry) => {
    const path = resolve(dir, entry);
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path).filter((f) => f.endsWith('.yaml') && !['scenario.yaml', 'flows.yaml', 'suggested-policies.yaml', 'near-misses.yaml'].includes(f)).sort().map((f) => join(path, f));
  });
  return loadManifests(files.map((file) => ({ file, text: readFileSync(file, 'utf8') }))).cluster;
}

function flowsOf(dir: string): Flow[] {
  return parseFlows(readFileSync(join(dir, 'flows.yaml'), 'utf8'), 'flows.yaml').flows;
}

const bundled = readdirSync(SCENARIOS).filter((d) => statSync(join(SCENARIOS, d)).isDirectory() && existsSync(join(SCENARIOS, d, 'flows.yaml'))).sort();

describe('suggestPolicies() on every bundled cluster with its traffic', () => {
  it.each(bundled)('%s: the replay allows every observed flow, validate reports nothing, and near misses are mostly denied', (dir) => {
    const report = suggestPolicies(clusterOf(join(SCENARIOS, dir)), flowsOf(join(SCENARIOS, dir)));
    const { observed, nearMisses, validation } = report.replay;
    expect(observed.denied).toEqual([]);
    expect(observed.allowed).toBe(report.suggestion.admitted);
    expect(validation).toEqual([]);
    expect(report.replay.agrees).toBe(true);
    expect(nearMisses.flows).toBeGreaterThan(0);
    expect(nearMisses.denied / nearMisses.flows).toBeGreaterThanOrEqual(0.9);
  });

  it('demo with its capture: every recorded flow the cluster can admit stays allowed, and every near miss is denied', () => {
    const c = clusterOf(join(SCENARIOS, 'demo'));
    const index = prepareMesh(c);
    const { flows } = readCaptureBytes(readFileSync(resolve(__dirname, '../../traces/demo.pcap')), { name: 'demo.pcap', isServer: listensAt(index) });
    const report = suggestPolicies(c, flows);
    expect(report.suggestion.observed).toBe(16);
    expect(report.replay.observed).toMatchObject({ flows: 15, allowed: 15, denied: [] });
    expect(report.replay.nearMisses.allowed).toEqual([]);
    expect(report.replay.validation).toEqual([]);
  });
});

describe('suggestPolicies() writes what validate accepts', () => {
  it('its YAML, added to the cluster without its policies, validates with no error and no warning', () => {
    const c = clusterOf(join(SCENARIOS, 'demo'));
    const yaml = renderSuggestionYaml(suggestPolicies(c, flowsOf(join(SCENARIOS, 'demo'))));
    const loaded = loadManifests([{ file: SUGGESTED_POLICIES_FILE, text: yaml }]);
    expect(loaded.diagnostics).toEqual([]);
    const withSuggestion = { ...c, authorizationPolicies: loaded.cluster.authorizationPolicies };
    const findings = validateManifests(withSuggestion).diagnostics.filter((d) => d.file === SUGGESTED_POLICIES_FILE && d.severity !== 'info');
    expect(findings).toEqual([]);
    expect(loaded.cluster.authorizationPolicies.length).toBeGreaterThan(3);
  });

  it('reports existing rules broader than the traffic needs, from the coverage of the cluster as given', () => {
    const c = clusterOf(join(SCENARIOS, 'demo'));
    const flows = flowsOf(join(SCENARIOS, 'demo'));
    const report = suggestPolicies(c, flows, { results: simulateFlows(c, flows).results });
    expect(report.broader).toContainEqual({ policy: 'frontend/admin-console-read-only', rule: 0, enforcedBy: 'ztunnel', why: 'dropped-for-ztunnel' });
    expect(report.broader.every((b) => !b.policy.includes('-ztunnel') && !b.policy.includes('-waypoint'))).toBe(true);
    expect(suggestPolicies(c, flows).broader).toEqual([]);
  });
});
