import { describe, expect, it } from 'vitest';
import { parseWhatIfFile } from '../../../src/load/scenario/parse-what-if.js';

const at = (line: number) => ({ file: 'steps.yaml', document: 0, line, column: 5 });

describe('parseWhatIfFile() reads the steps of diff --what-if', () => {
  it('reads every migration move, shorthands included', () => {
    const text = [
      '- ambient: { namespace: orders }',
      '- ambient: legacy',
      '- useWaypoint: { namespace: payments, waypoint: waypoint }',
      '- useWaypoint: { service: payments/api, waypoint: none }',
      '- addWaypoint: { namespace: payments, for: service }',
      '- peerAuthentication: { namespace: istio-system, mode: STRICT }',
      '- removeSidecarInjection: legacy',
      '- label: { kind: Deployment, namespace: a, name: b, remove: [x] }',
    ].map((l) => `  ${l}`).join('\n');
    const { steps, diagnostics } = parseWhatIfFile(text, 'steps.yaml');
    expect(diagnostics).toEqual([]);
    expect(steps).toEqual([
      { kind: 'ambient', namespace: 'orders', enabled: true, source: at(1) },
      { kind: 'ambient', namespace: 'legacy', enabled: true, source: at(2) },
      { kind: 'useWaypoint', target: { namespace: 'payments' }, waypoint: 'waypoint', source: at(3) },
      { kind: 'useWaypoint', target: { service: 'payments/api' }, waypoint: 'none', source: at(4) },
      { kind: 'addWaypoint', namespace: 'payments', name: 'waypoint', for: 'service', enrollNamespace: false, source: at(5) },
      { kind: 'peerAuthentication', namespace: 'istio-system', mode: 'STRICT', source: at(6) },
      { kind: 'removeSidecarInjection', namespace: 'legacy', source: at(7) },
      { kind: 'label', target: { kind: 'Deployment', namespace: 'a', name: 'b' }, set: {}, remove: ['x'], source: at(8) },
    ]);
  });

  it('takes the whatIf list of a scenario file too', () => {
    const { steps, diagnostics } = parseWhatIfFile('name: x\nwhatIf:\n  - ambient: a\n', 'scenario.yaml');
    expect(diagnostics).toEqual([]);
    expect(steps.map((s) => s.kind)).toEqual(['ambient']);
  });

  it('reports a file with no steps', () => {
    expect(parseWhatIfFile('name: x\n', 'steps.yaml').diagnostics[0]?.message).toMatch(/a steps file is a list of whatIf steps/);
  });
});
