import { loadManifests } from '../../../src/load/manifests/load-manifests.js';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/load/scenario/parse-scenario.js';

/** The scenario example of DESIGN.md "Scenario file", without the traffic kinds not replayed yet. */
const CONTRACT = `name: Adding a waypoint to payments keeps checkout working
manifests: [../cluster/]
istiodEnv: { PILOT_AUTO_ALLOW_WAYPOINT_POLICY: "true" }
traffic:
  flows: flows.yaml
whatIf:
  - apply: [waypoint.yaml]
  - delete: [{ kind: AuthorizationPolicy, namespace: payments, name: legacy-allow }]
  - label: { kind: Namespace, name: payments, set: { istio.io/use-waypoint: waypoint } }
expect:
  - flow: checkout-pays
    verdict: allow
    decidedBy: waypoint
  - noPlaintextInto: payments
  - onlyReachable: { to: payments/api, from: [orders/checkout] }
  - changes: none
  - changes: { allowedToDenied: 0, encryptedToPlaintext: 0 }
`;

const at = (line: number, column: number) => ({ file: 's/scenario.yaml', document: 0, line, column });

describe('parseScenario() reads the scenario file of DESIGN.md', () => {
  it('reads the contract example', () => {
    const { scenario, diagnostics } = parseScenario(CONTRACT, 's/scenario.yaml');
    expect(diagnostics).toEqual([]);
    expect(scenario).toMatchObject({
      name: 'Adding a waypoint to payments keeps checkout working',
      manifests: ['../cluster/'],
      istiodEnv: { PILOT_AUTO_ALLOW_WAYPOINT_POLICY: 'true' },
      traffic: { flowFiles: ['flows.yaml'], inlineFlows: [] },
      hasWhatIf: true,
    });
    // Where each path was written, so that a path outside the scenario's root is reported at its line.
    expect(scenario?.paths).toEqual([
      { field: 'manifests', path: '../cluster/', source: at(2, 13) },
      { field: 'traffic.flows', path: 'flows.yaml', source: at(5, 10) },
    ]);
    expect(scenario?.whatIf).toEqual([
      { kind: 'apply', files: ['waypoint.yaml'], fileSources: [at(7, 13)], inline: [], source: at(7, 5) },
      { kind: 'delete', targets: [{ kind: 'AuthorizationPolicy', namespace: 'payments', name: 'legacy-allow' }], source: at(8, 5) },
      { kind: 'label', target: { kind: 'Namespace', name: 'payments' }, set: { 'istio.io/use-waypoint': 'waypoint' }, remove: [], source: at(9, 5) },
    ]);
    expect(scenario?.expect).toEqual([
      { kind: 'flow', flow: 'checkout-pays', verdict: 'allow', decidedBy: 'waypoint', source: at(11, 5) },
      { kind: 'noPlaintextInto', namespace: 'payments', source: at(14, 5) },
      { kind: 'onlyReachable', to: 'payments/api', from: ['orders/checkout'], source: at(15, 5) },
      { kind: 'changes', counts: 'none', source: at(16, 5) },
      { kind: 'changes', counts: { allowedToDenied: 0, encryptedToPlaintext: 0 }, source: at(17, 5) },
    ]);
  });

  it('reads inline flows in the flows-file format, with their lines', () => {
    const text = 'name: x\nmanifests: [m.yaml]\ntraffic:\n  flows:\n    - id: a\n      source: { workload: orders/checkout }\n      destination: { service: payments/api, port: 80 }\nexpect: [{ noPlaintextInto: payments }]\n';
    const { scenario, diagnostics } = parseScenario(text, 'x.yaml');
    expect(diagnostics).toEqual([]);
    expect(scenario?.traffic.inlineFlows).toEqual([{
      id: 'a', source: { workload: 'orders/checkout' }, destination: { service: 'payments/api', port: 80 }, protocol: 'tcp', time: 0,
      origin: { kind: 'flows-file', source: { file: 'x.yaml', document: 0, line: 5 } },
    }]);
  });

  it('reads traffic from captures and flow logs, alone or beside flows', () => {
    const { scenario, diagnostics } = parseScenario('name: x\nmanifests: [m]\ntraffic:\n  trace: c.pcap\n  flowLog: [h.json, f.jsonl]\nexpect: []', 'x.yaml');
    expect(diagnostics).toEqual([]);
    expect(scenario?.traffic).toMatchObject({ traceFiles: ['c.pcap'], flowLogFiles: ['h.json', 'f.jsonl'], flowFiles: [] });
  });

  it('keeps inline objects of an apply step at their lines in the scenario file', () => {
    const text = 'name: x\nmanifests: [m.yaml]\ntraffic: { flows: f.yaml }\nwhatIf:\n  - apply:\n      - apiVersion: v1\n        kind: Namespace\n        metadata: { name: x }\nexpect: [{ changes: none }]\n';
    const { scenario } = parseScenario(text, 'x.yaml');
    const step = scenario?.whatIf[0];
    const inline = step?.kind === 'apply' ? step.inline[0] : undefined;
    expect(inline?.firstLine).toBe(6);
    // Line 7 of the file (1-based): the excerpt's second line.
    expect(inline && (inline.firstLine ?? 1) + inline.text.split('\n').findIndex((l) => l.includes('kind: Namespace'))).toBe(7);
    // The loader reports the object where it is in the scenario file, column included.
    const loaded = loadManifests(inline ? [inline] : []);
    expect(loaded.cluster.namespaces[0]?.meta.source).toEqual(expect.objectContaining({ file: 'x.yaml', line: 6, column: 9 }));
  });

  it('reads an apply step\'s inline object without copying what comes before it (10,000 steps stay linear)', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => `  - apply:\n      - apiVersion: v1\n        kind: Namespace\n        metadata: { name: ns-${i} }`).join('\n');
    const { scenario } = parseScenario(`name: x\nmanifests: [m.yaml]\ntraffic: { flows: f.yaml }\nwhatIf:\n${steps}\nexpect: [{ changes: none }]\n`, 'x.yaml');
    const texts = (scenario?.whatIf ?? []).flatMap((s) => (s.kind === 'apply' ? s.inline.map((m) => m.text.length) : []));
    expect(texts).toHaveLength(10_000);
    // Each excerpt is its own object's text, not the file up to it.
    expect(Math.max(...texts)).toBeLessThan(200);
  });

  it.each([
    ['a missing name', 'manifests: [m]\ntraffic: { flows: f.yaml }\nexpect: []', 1, /name is required/],
    ['manifests that are not paths', 'name: x\nmanifests: 3\ntraffic: { flows: f.yaml }\nexpect: []', 2, /manifests must be a string or a list of strings/],
    ['istiodEnv that is a list', 'name: x\nmanifests: [m]\nistiodEnv: [a]\ntraffic: { flows: f.yaml }\nexpect: []', 3, /istiodEnv must be a mapping/],
    ['no traffic', 'name: x\nmanifests: [m]\nexpect: []', 1, /traffic is required/],
    ['a trace that is not a file name', 'name: x\nmanifests: [m]\ntraffic:\n  trace: { file: c.pcap }\nexpect: []', 4, /traffic.trace must be a string or a list of strings/],
    ['a flow log list with an empty name', 'name: x\nmanifests: [m]\ntraffic:\n  flowLog: [""]\nexpect: []', 4, /traffic.flowLog must list non-empty strings/],
    ['a generate count that is not positive', 'name: x\nmanifests: [m]\ntraffic:\n  generate: { count: 0, seed: 7 }\nexpect: []', 4, /traffic.generate.count must be a positive integer/],
    ['a generate seed that is not an integer', 'name: x\nmanifests: [m]\ntraffic:\n  generate: { count: 5, seed: abc }\nexpect: []', 4, /traffic.generate.seed must be an integer/],
    ['a generate undeclaredPorts that is not a boolean', 'name: x\nmanifests: [m]\ntraffic:\n  generate: { count: 5, undeclaredPorts: yes please }\nexpect: []', 4, /traffic.generate.undeclaredPorts must be true or false/],
    ['a bad inline flow', 'name: x\nmanifests: [m]\ntraffic:\n  flows:\n    - { source: { workload: a }, destination: { service: b/c, port: 1 } }\nexpect: []', 5, /source.workload must be namespace\/name/],
    ['an unknown step', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nwhatIf:\n  - scale: { replicas: 3 }\nexpect: []', 5, /unknown whatIf step "scale"/],
    ['a step with two kinds', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nwhatIf:\n  - { ambient: a, delete: [] }\nexpect: []', 5, /exactly one of apply/],
    ['a label step without set or remove', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nwhatIf:\n  - label: { kind: Namespace, name: a }\nexpect: []', 5, /label needs set or remove/],
    ['a delete step without name', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nwhatIf:\n  - delete: [{ kind: Pod, namespace: a }]\nexpect: []', 5, /delete.name is required/],
    ['a bad mTLS mode', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nwhatIf:\n  - peerAuthentication: { namespace: a, mode: strict }\nexpect: []', 5, /mode must be one of UNSET, DISABLE, PERMISSIVE, STRICT/],
    ['useWaypoint with both targets', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nwhatIf:\n  - useWaypoint: { namespace: a, service: a/b, waypoint: w }\nexpect: []', 5, /exactly one of namespace or service/],
    ['a bad verdict', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nexpect:\n  - { flow: a, verdict: allowed }', 5, /verdict must be allow or deny/],
    ['a flow expectation that checks nothing', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nexpect:\n  - flow: a', 5, /checks nothing/],
    ['an unknown change count', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nexpect:\n  - changes: { allowedToDeny: 0 }', 5, /unknown count "allowedToDeny"/],
    ['a negative change count', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nexpect:\n  - changes: { allowedToDenied: -1 }', 5, /non-negative integer/],
    ['onlyReachable without to', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nexpect:\n  - onlyReachable: { from: [a/b] }', 5, /onlyReachable.to must be/],
    ['an unknown decidedBy component', 'name: x\nmanifests: [m]\ntraffic: { flows: f }\nexpect:\n  - { flow: a, decidedBy: "source-ztunnel node-1" }', 5, /unknown component/],
    ['invalid YAML', 'name: x\n  manifests: [m', 1, /Nested mappings/],
  ])('reports %s with its line', (_name, text, line, message) => {
    const { diagnostics } = parseScenario(text, 'bad.yaml');
    const errors = diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ file: 'bad.yaml', line });
    expect(errors[0]?.message).toMatch(message);
    expect(errors[0]?.message.startsWith(`bad.yaml:${line}:`)).toBe(true);
  });

  it('reads generated traffic, with or without flows, the seed defaulting to 0', () => {
    const alone = parseScenario('name: x\nmanifests: [m]\ntraffic:\n  generate: { count: 50 }\nexpect: [{ noPlaintextInto: a }]', 's.yaml');
    expect(alone.diagnostics).toEqual([]);
    expect(alone.scenario?.traffic.generate).toMatchObject({ count: 50, seed: 0, source: { file: 's.yaml', line: 4 } });
    const both = parseScenario('name: x\nmanifests: [m]\ntraffic:\n  flows: f.yaml\n  generate: { count: 5, seed: 7 }\nexpect: [{ noPlaintextInto: a }]', 's.yaml');
    expect(both.scenario?.traffic).toMatchObject({ flowFiles: ['f.yaml'], generate: { count: 5, seed: 7 } });
    expect(both.scenario?.traffic.generate?.undeclaredPorts).toBeUndefined();
  });

  it('reads undeclaredPorts: true in generated traffic, which asks for ports and protocols the manifests do not declare', () => {
    const loose = parseScenario('name: x\nmanifests: [m]\ntraffic:\n  generate: { count: 5, undeclaredPorts: true }\nexpect: [{ noPlaintextInto: a }]', 's.yaml');
    expect(loose.diagnostics).toEqual([]);
    expect(loose.scenario?.traffic.generate).toMatchObject({ count: 5, seed: 0, undeclaredPorts: true });
  });

  it('warns about unknown fields instead of ignoring them silently', () => {
    const { diagnostics } = parseScenario('name: x\nmanifest: [m]\nmanifests: [m]\ntraffic: { flows: f }\nexpect: [{ changes: none }]', 's.yaml');
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'unknown-scenario-field', line: 2 }]);
  });

  it('warns about a scenario with no expectations', () => {
    const { diagnostics } = parseScenario('name: x\nmanifests: [m]\ntraffic: { flows: f }', 's.yaml');
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'no-expectations' }]);
  });

  it('never throws, whatever the text', () => {
    for (const text of ['', '- a', 'null', '[1, 2', 'a: *b', '{', ':', 'name: [', '\t']) {
      expect(() => parseScenario(text, 'x.yaml')).not.toThrow();
    }
  });
});
