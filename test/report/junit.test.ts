import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { FAILING, PASSING, UNREADABLE } from './check-fixtures.js';
import { parseXml, validateJunit } from './junit-schema.js';

describe('renderJunit() writes JUnit XML that CI servers accept', () => {
  const xml = renderJunit([PASSING, FAILING, UNREADABLE]);

  it('is valid against junit-10.xsd (jenkinsci/xunit-plugin)', () => {
    expect(validateJunit(xml)).toEqual([]);
  });

  it('has one testsuite per scenario and one testcase per expectation, with totals', () => {
    const root = parseXml(xml);
    expect(root.attributes).toMatchObject({ tests: '5', failures: '1', errors: '1' });
    expect(root.children.map((s) => [s.attributes['name'], s.attributes['tests'], s.attributes['failures'], s.attributes['errors']])).toEqual([
      ['Checkout keeps paying', '1', '0', '0'],
      ['Mesh goes STRICT', '3', '1', '0'],
      ['scenarios/broken/scenario.yaml', '1', '0', '1'],
    ]);
    expect(root.children[1]?.children.filter((c) => c.name === 'testcase').map((c) => c.attributes['name'])).toEqual([
      'flow checkout-pays: verdict allow, decided by waypoint',
      "the what-if changes no flow's verdict or encryption",
      'no plaintext into namespace payments',
    ]);
  });

  it('gives a failure the reason as message and the failing flows with their explanation as body', () => {
    const failure = parseXml(xml).children[1]?.children[1]?.children[0];
    expect(failure?.name).toBe('failure');
    expect(failure?.attributes['message']).toBe('allowedToDenied: expected 0, got 1; encryptedToPlaintext: expected 0, got 1');
    expect(failure?.attributes['type']).toBe('changes-differ');
    expect(failure?.text).toContain('legacy-batch changed: allow -> deny, mTLS -> plaintext');
    expect(failure?.text).toContain('denied: plaintext is refused under STRICT mTLS (istio-system/istio_converted_static_strict)');
  });

  it('escapes markup in names and messages', () => {
    expect(xml).toContain('legacy/batch &lt;v1&gt; &amp; "old"');
    expect(parseXml(xml).children[1]?.children[1]?.children[0]?.text).toContain('legacy/batch <v1> & "old"');
  });

  it('reports an unreadable scenario as an error testcase naming the file and line', () => {
    const error = parseXml(xml).children[2]?.children[0]?.children[0];
    expect(error?.name).toBe('error');
    expect(error?.attributes['message']).toContain('scenarios/broken/scenario.yaml:2:3');
  });

  it.each([
    ['an unknown element', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite tests="1"><test name="x"/></testsuite></testsuites>', /<test> is not a JUnit element/],
    ['a testcase without name', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite tests="1"><testcase/></testsuite></testsuites>', /lacks required attribute name/],
    ['a testsuite without tests', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites><testsuite/></testsuites>', /lacks required attribute tests/],
    ['an unescaped ampersand', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="a & b"/>', /unescaped &/],
    ['an unclosed element', '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>', /unclosed/],
  ])('the schema check rejects %s', (_name, bad, problem) => {
    expect(validateJunit(bad).join('\n')).toMatch(problem);
  });

  it('writes the checks\' timing as seconds: testcases rounded down, suites up, the run their sum', () => {
    const timed = renderJunit([
      { ...FAILING, timing: { seconds: 0.0125004, expectations: [0.0031237, 0.0049, 0.0000009] } },
      { ...UNREADABLE, timing: { seconds: 0.0000004, expectations: [] } },
    ]);
    const root = parseXml(timed);
    expect(validateJunit(timed)).toEqual([]);
    expect(root.attributes['time']).toBe('0.012502');
    expect(root.children.map((s) => s.attributes['time'])).toEqual(['0.012501', '0.000001']);
    expect(root.children[0]?.children.filter((c) => c.name === 'testcase').map((c) => c.attributes['time'])).toEqual(['0.003123', '0.004900', '0']);
    expect(root.children[1]?.children[0]?.attributes['time']).toBe('0');
  });

  it('writes time="0" for checks without timing', () => {
    expect(xml.match(/time="[^"]*"/g)?.every((t) => t === 'time="0"')).toBe(true);
  });
});
