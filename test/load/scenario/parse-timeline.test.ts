import { describe, expect, it } from 'vitest';
import { parseTimelineFile } from '../../../src/load/scenario/parse-timeline.js';

const parse = (text: string) => parseTimelineFile(text, 'timeline.yaml');
const messages = (text: string) => parse(text).diagnostics.map((d) => d.message);

describe('parseTimelineFile() reads the timeline of DESIGN.md', () => {
  it('reads every event kind of the DESIGN.md example, in file order', () => {
    const { timeline, diagnostics } = parse(`
- at: 0
  phase: "1: ambient for non-critical namespaces"
- at: 0
  ambient: { namespace: shop }
- at: 600
  addWaypoint: { namespace: payments, enrollNamespace: true }
- at: 900
  waypointDown: payments/waypoint
- at: 960
  waypointUp: payments/waypoint
- at: 1200
  ztunnelRestart: { node: node-a, for: 5 }
- at: 0
  istiodUnreachable: { for: 172800 }
`);
    expect(diagnostics).toEqual([]);
    expect(timeline.entries.map((e) => [e.kind, e.at, e.source.line])).toEqual([
      ['phase', 0, 2], ['configure', 0, 4], ['configure', 600, 6], ['waypointDown', 900, 8],
      ['waypointUp', 960, 10], ['ztunnelRestart', 1200, 12], ['istiodUnreachable', 0, 14],
    ]);
    const [phase, ambient, waypoint, down, , restart, unreachable] = timeline.entries;
    expect(phase).toMatchObject({ name: '1: ambient for non-critical namespaces' });
    expect(ambient).toMatchObject({ step: { kind: 'ambient', namespace: 'shop', enabled: true, source: { line: 4 } } });
    expect(waypoint).toMatchObject({ step: { kind: 'addWaypoint', namespace: 'payments', name: 'waypoint', enrollNamespace: true } });
    expect(down).toMatchObject({ waypoint: 'payments/waypoint' });
    expect(restart).toMatchObject({ node: 'node-a', for: 5 });
    expect(unreachable).toMatchObject({ for: 172800 });
    expect(timeline.settings).toEqual({ pushDelay: 0 });
  });

  it('reads a mapping with settings and a timeline list (a scenario file works too), and JSON', () => {
    const yaml = parse('settings: { pushDelay: 2.5 }\ntimeline:\n  - { at: 1, phase: one }\n');
    expect([yaml.timeline.settings, yaml.timeline.entries.length, yaml.diagnostics]).toEqual([{ pushDelay: 2.5 }, 1, []]);
    const json = parse('[{"at": 3, "waypointDown": "a/b"}]');
    expect(json.timeline.entries).toMatchObject([{ kind: 'waypointDown', at: 3, waypoint: 'a/b', source: { line: 1 } }]);
  });

  it.each([
    ['- at: -1\n  phase: x\n', 'timeline.yaml:1:7: at must not be negative, got -1'],
    ['- phase: x\n', 'timeline.yaml:1:3: a timeline event needs at: the seconds from the start of the timeline'],
    ['- at: "soon"\n  phase: x\n', 'timeline.yaml:1:7: at must be a number of seconds, got string "soon"'],
    ['- at: 1\n  ztunnelRestart: { node: node-a }\n', 'timeline.yaml:2:19: ztunnelRestart.for is required: how many seconds it lasts'],
    ['- at: 1\n  istiodUnreachable: { for: 0 }\n', 'timeline.yaml:2:29: istiodUnreachable.for must be more than 0 seconds'],
    ['- at: 1\n  waypointDown: waypoint\n', 'timeline.yaml:2:17: waypointDown names a waypoint as namespace/name, got string "waypoint"'],
    ['- at: 1\n  explode: now\n', 'timeline.yaml:2:3: unknown timeline event "explode"; events are phase, waypointDown, waypointUp, ztunnelRestart, istiodUnreachable, apply, delete, label, ambient, useWaypoint, addWaypoint, peerAuthentication, removeSidecarInjection'],
    ['- at: 1\n  phase: a\n  waypointDown: a/b\n', 'timeline.yaml:1:3: a timeline event has exactly one of phase, waypointDown, waypointUp, ztunnelRestart, istiodUnreachable, apply, delete, label, ambient, useWaypoint, addWaypoint, peerAuthentication, removeSidecarInjection, got phase and waypointDown'],
    ['- at: 1\n  peerAuthentication: { namespace: a, mode: LOUD }\n', 'timeline.yaml:2:45: peerAuthentication.mode must be one of UNSET, DISABLE, PERMISSIVE, STRICT, got "LOUD"'],
    ['settings: { pushDelay: -2 }\ntimeline: []\n', 'timeline.yaml:1:24: settings.pushDelay must not be negative, got -2'],
    ['at: 1\n', 'timeline.yaml:1:1: a timeline file is a list of timed events, or a mapping with a timeline list (and settings), got a mapping'],
    ['- at: 1\n  phase: [\n', 'timeline.yaml:3:1: '],
  ])('reports %j at its file:line:column', (text, message) => {
    const found = messages(text);
    expect(found.some((m) => m.startsWith(message))).toBe(true);
  });

  it('reports unknown keys of a fault and of settings as warnings, and still reads the entry', () => {
    const { timeline, diagnostics } = parse('settings: { pushDelay: 1, pushJitter: 3 }\ntimeline:\n  - at: 5\n    ztunnelRestart: { node: n, for: 2, reason: oom }\n');
    expect(timeline.entries).toHaveLength(1);
    expect(diagnostics.map((d) => [d.severity, d.line])).toEqual([['warning', 1], ['warning', 4]]);
  });

  it('leaves malformed entries out and keeps the others', () => {
    const { timeline, diagnostics } = parse('- { at: 1, phase: a }\n- { at: -5, phase: b }\n- { at: 2, waypointUp: x/y }\n');
    expect(timeline.entries.map((e) => e.at)).toEqual([1, 2]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toHaveLength(1);
  });
});
