import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { FLOW_ENTRY_FIELDS } from '../../src/load/flows/flow-entry.js';
import { parseFlows } from '../../src/load/flows/parse-flows.js';
import { CHANGE_KEYS, COMPONENTS, FLOW_FIELDS, KINDS } from '../../src/load/scenario/parse-expectations.js';
import { parseScenario } from '../../src/load/scenario/parse-scenario.js';
import { TOP_FIELDS, TRAFFIC_FIELDS } from '../../src/load/scenario/parse-scenario.js';
import { MTLS_MODES, parseWhatIfFile, STEP_KINDS, TRAFFIC_TYPES } from '../../src/load/scenario/parse-what-if.js';
import { codeBlocks } from '../support/markdown.js';

/**
 * The JSON Schemas in schemas/ (for editors, through yaml-language-server) held to the loaders: the
 * same field names and enums, every bundled and documented file valid, and nothing the schema accepts
 * that the loader does not load cleanly (no error, no warning).
 */
const ROOT = resolve(__dirname, '../..');
const SCHEMAS = ['flows', 'scenario', 'timeline', 'what-if'] as const;
const schema = (name: (typeof SCHEMAS)[number]) => JSON.parse(readFileSync(join(ROOT, 'schemas', `${name}.schema.json`), 'utf8'));

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
for (const name of SCHEMAS) ajv.addSchema(schema(name), `${name}.schema.json`);
const validator = (name: (typeof SCHEMAS)[number]) => {
  const v = ajv.getSchema(`${name}.schema.json`);
  if (!v) throw new Error(`schema ${name} not compiled`);
  return (value: unknown): string[] => (v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
};
const validFlows = validator('flows');
const validScenario = validator('scenario');
const validTimeline = validator('timeline');
const validWhatIf = validator('what-if');
const flowEntry = (value: unknown) => validFlows([value]);

const defs = schema('scenario').definitions;
const keys = (o: { properties: Record<string, unknown> }) => Object.keys(o.properties).sort();
const sorted = (xs: readonly string[]) => [...xs].sort();

const scenarioFiles = readdirSync(join(ROOT, 'scenarios'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .flatMap((e) => readdirSync(join(ROOT, 'scenarios', e.name)).filter((f) => f === 'scenario.yaml').map((f) => `scenarios/${e.name}/${f}`));
const flowsFiles = readdirSync(join(ROOT, 'scenarios'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .flatMap((e) => readdirSync(join(ROOT, 'scenarios', e.name)).filter((f) => f === 'flows.yaml').map((f) => `scenarios/${e.name}/${f}`));
const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('the JSON Schemas name what the loaders read', () => {
  it('compile under ajv strict mode', () => {
    for (const name of SCHEMAS) expect(ajv.getSchema(`${name}.schema.json`)).toBeDefined();
  });

  it('give a flow the fields of a flows-file entry', () => {
    expect(keys(schema('flows').definitions.flow)).toEqual(sorted(FLOW_ENTRY_FIELDS));
  });

  it('give a scenario its fields, its traffic sources, its step kinds and its expectations', () => {
    expect(keys(schema('scenario'))).toEqual(sorted(TOP_FIELDS));
    expect(keys(defs.traffic)).toEqual(sorted(TRAFFIC_FIELDS));
    expect(keys(defs.step)).toEqual(sorted(STEP_KINDS));
    expect(keys(defs.flowExpectation)).toEqual(sorted(FLOW_FIELDS));
    const kinds = defs.expectation.oneOf.map((o: { $ref?: string; required?: string[] }) => (o.$ref ? 'flow' : o.required?.[0]));
    expect(sorted(kinds)).toEqual(sorted(KINDS));
  });

  it('use the loaders\' enums', () => {
    expect(defs.peerAuthentication.properties.mode.enum).toEqual([...MTLS_MODES]);
    expect(defs.addWaypoint.anyOf[1].properties.for.enum).toEqual([...TRAFFIC_TYPES]);
    expect(defs.flowExpectation.properties.decidedBy.anyOf[1].properties.component.enum).toEqual([...COMPONENTS]);
    const changes = defs.expectation.oneOf[3].properties.changes.anyOf[1];
    expect(keys(changes)).toEqual(sorted(CHANGE_KEYS));
  });
});

describe('every bundled and documented file is valid and loads cleanly', () => {
  it.each(scenarioFiles)('%s', (file) => {
    expect(validScenario(parse(text(file)))).toEqual([]);
    expect(parseScenario(text(file), file).diagnostics).toEqual([]);
  });

  it.each(flowsFiles)('%s', (file) => {
    expect(validFlows(parse(text(file)))).toEqual([]);
    expect(parseFlows(text(file), file).diagnostics).toEqual([]);
  });

  it('the README\'s flows-file example', () => {
    const flows = codeBlocks(text('README.md'), 'yaml').find((b) => b.startsWith('- id: checkout-pays'));
    expect(validFlows(parse(flows ?? ''))).toEqual([]);
  });

  const named = codeBlocks(text('README.md'), 'yaml').map((b) => [/^# yaml-language-server: \$schema=\S*\/schemas\/([a-z-]+)\.schema\.json\n/.exec(b)?.[1], b] as const);
  it('the README names the scenario and timeline schemas with the yaml-language-server comment', () => {
    expect(named.map(([name]) => name).filter(Boolean)).toEqual(['scenario', 'timeline']);
  });

  it.each(named.filter(([name]) => name !== undefined))('the README\'s %s example, under the schema its comment names', (name, block) => {
    expect(validator(name as (typeof SCHEMAS)[number])(parse(block))).toEqual([]);
    if (name === 'scenario') expect(parseScenario(block, 'scenario.yaml').diagnostics).toEqual([]);
  });
});

describe('the schemas reject what the loaders reject', () => {
  const flow = { source: { workload: 'orders/checkout' }, destination: { service: 'payments/api', port: 80 } };
  it.each([
    ['an unknown field', { ...flow, colour: 'red' }],
    ['a workload without namespace', { ...flow, source: { workload: 'checkout' } }],
    ['a source that is neither workload nor ip', { ...flow, source: { ip: 'nowhere' } }],
    ['a port out of range', { ...flow, destination: { service: 'payments/api', port: 70000 } }],
    ['a destination without port', { ...flow, destination: { service: 'payments/api' } }],
    ['an unknown protocol', { ...flow, protocol: 'sctp' }],
    ['a path without a leading slash', { ...flow, path: 'api' }],
    ['a negative time', { ...flow, time: -1 }],
    ['a jwt without sub', { ...flow, protocol: 'http', jwt: { iss: 'https://idp' } }],
    ['a header with a list value', { ...flow, protocol: 'http', headers: { a: [1] } }],
  ])('a flow with %s', (_name, entry) => {
    expect(flowEntry(entry)).not.toEqual([]);
    expect(parseFlows(JSON.stringify([entry]), 'flows.json').diagnostics).not.toEqual([]);
  });

  const scenario = { name: 'x', manifests: ['cluster.yaml'], traffic: { flows: 'flows.yaml' }, expect: [{ noPlaintextInto: 'payments' }] };
  it.each([
    ['no name', { ...scenario, name: undefined }],
    ['no manifests', { ...scenario, manifests: undefined }],
    ['no traffic source', { ...scenario, traffic: {} }],
    ['an unknown field', { ...scenario, descripton: 'typo' }],
    ['no expect list', { ...scenario, expect: undefined }],
    ['a generate count of 0', { ...scenario, traffic: { generate: { count: 0 } } }],
    ['an unknown step', { ...scenario, whatIf: [{ teleport: 'payments' }] }],
    ['a step with two kinds', { ...scenario, whatIf: [{ ambient: 'a', removeSidecarInjection: 'b' }] }],
    ['a peerAuthentication mode in lower case', { ...scenario, whatIf: [{ peerAuthentication: { namespace: 'a', mode: 'strict' } }] }],
    ['a useWaypoint with both targets', { ...scenario, whatIf: [{ useWaypoint: { namespace: 'a', service: 'a/b', waypoint: 'w' } }] }],
    ['a label that changes nothing', { ...scenario, whatIf: [{ label: { kind: 'Namespace', name: 'a', set: {} } }] }],
    ['an expectation with two kinds', { ...scenario, expect: [{ noPlaintextInto: 'a', changes: 'none' }] }],
    ['a flow expectation that checks nothing', { ...scenario, expect: [{ flow: 'a' }] }],
    ['a decidedBy with an unknown component', { ...scenario, expect: [{ flow: 'a', decidedBy: 'gateway x/y' }] }],
    ['a policy without namespace', { ...scenario, expect: [{ flow: 'a', policy: 'allow-all' }] }],
    ['a negative change count', { ...scenario, expect: [{ changes: { allowedToDenied: -1 } }] }],
  ])('a scenario with %s', (_name, value) => {
    const clean = JSON.parse(JSON.stringify(value));
    expect(validScenario(clean)).not.toEqual([]);
    expect(parseScenario(JSON.stringify(clean), 'scenario.yaml').diagnostics).not.toEqual([]);
  });

  it('accepts the shorthands the loader takes, which load cleanly', () => {
    const value = {
      ...scenario,
      manifests: 'cluster.yaml',
      istiodEnv: { PILOT_AUTO_ALLOW_WAYPOINT_POLICY: true, X: 1 },
      traffic: { flows: ['flows.yaml', { id: 7, ...flow }], trace: 'a.pcap', generate: { count: 5 } },
      whatIf: [
        { apply: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }] }, { ambient: 'shop' }, { addWaypoint: 'shop' },
        { removeSidecarInjection: 'shop' }, { delete: { kind: 'Namespace', name: 'old' } }, { label: { kind: 'Namespace', name: 'shop', remove: 'a' } },
        { useWaypoint: { service: 'shop/web', waypoint: 'none' } }, { peerAuthentication: { namespace: 'istio-system', mode: 'STRICT' } },
      ],
      expect: [
        { flow: 7, decidedBy: { component: 'waypoint' }, policy: null }, { flow: 'x', decidedBy: 'waypoint shop/waypoint', reason: 'no-allow-policy-matched' },
        { onlyReachable: { to: 'shop/web', from: 'shop/*' } }, { changes: 'none' }, { changes: { allowedToDenied: 0 } },
      ],
    };
    expect(validScenario(value)).toEqual([]);
    expect(parseScenario(JSON.stringify(value), 'scenario.yaml').diagnostics).toEqual([]);
    expect(validWhatIf(value.whatIf)).toEqual([]);
    expect(validWhatIf({ whatIf: value.whatIf })).toEqual([]);
    expect(parseWhatIfFile(JSON.stringify(value.whatIf), 'steps.yaml').diagnostics).toEqual([]);
  });

  it('accepts no flow entry that the loader does not load cleanly (generated entries)', () => {
    const anyValue = fc.oneof(fc.constant(undefined), fc.constant(null), fc.integer({ min: -5, max: 70000 }), fc.boolean(),
      fc.constantFrom('', 'a', 'ns/a', '/x', '10.0.0.1', 'fd00::1', 'http', 'tcp', 'udp', 'GET'));
    /** Mostly values the loader takes, else anything: so that both valid and invalid entries come up. */
    const mostly = <T,>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: anyValue, weight: 1 });
    const source = mostly(fc.oneof(fc.constant({ workload: 'ns/a' }), fc.constant({ ip: '10.0.0.1' }), fc.record({ workload: anyValue, ip: anyValue }, { requiredKeys: [] })));
    const destination = mostly(fc.oneof(
      fc.record({ service: fc.constantFrom('ns/a', 'ns/a', 'a'), port: fc.constantFrom(80, 80, 65535, 0, 65536) }),
      fc.constant({ workload: 'ns/b', port: 8080 }), fc.constant({ ip: 'fd00::1', port: 8080 }),
      fc.record({ workload: fc.constant('ns/b'), ip: fc.constant('fd00::1'), port: fc.constant(8080) }, { requiredKeys: ['port'] }),
      fc.record({ service: anyValue, workload: anyValue, ip: anyValue, port: anyValue }, { requiredKeys: [] }),
    ));
    const entry = fc.record({
      id: mostly(fc.constantFrom('a', 1)), source, destination, protocol: mostly(fc.constantFrom('tcp', 'http', 'udp')),
      method: mostly(fc.constant('POST')), path: mostly(fc.constantFrom('/api', '/', 'api')), host: mostly(fc.constant('a.example')),
      time: mostly(fc.constantFrom(0, 1.5)),
      headers: mostly(fc.dictionary(fc.constantFrom('a', 'B'), mostly(fc.constantFrom('v', 1, true)))),
      jwt: mostly(fc.record({ iss: mostly(fc.constant('https://idp')), sub: fc.constant('alice'), claims: mostly(fc.constant({ g: 1 })), invalid: mostly(fc.boolean()) }, { requiredKeys: ['sub'] })),
      extra: mostly(fc.constant(undefined)),
    }, { requiredKeys: ['source', 'destination'] });
    let valid = 0;
    fc.assert(fc.property(entry, (raw) => {
      const value = JSON.parse(JSON.stringify(raw) ?? 'null');
      if (flowEntry(value).length > 0) return true;
      valid++;
      return parseFlows(JSON.stringify([value]), 'flows.json').diagnostics.length === 0;
    }), { numRuns: 3000, seed: 7 });
    expect(valid).toBeGreaterThan(100);
  });
});
