import { describe, expect, it } from 'vitest';
import { graphStream } from '../../../src/report/graph/graph-stream.js';
import { NO_DIRECTORY } from '../../../src/report/graph/graph-directory.js';
import { trafficGraph } from '../../../src/report/graph/graph-builder.js';
import { renderGraphDot } from '../../../src/report/graph/graph-dot.js';
import { renderGraphMermaid } from '../../../src/report/graph/graph-mermaid.js';
import { denied, plaintext, result } from '../../analysis/expect/result-fixtures.js';

const RESULTS = [result('a'), denied('b', 'p/q'), plaintext('c')];
const TAIL = { schemaVersion: 1 as const, diagnostics: [], summary: { flows: 3, allowed: 2, denied: 1, unencrypted: 1 } };

describe('graphStream() writes -o dot and -o mermaid as results stream', () => {
  it.each([['dot', renderGraphDot], ['mermaid', renderGraphMermaid]] as const)('writes nothing per result, then the %s graph of every result', (format, render) => {
    const stream = graphStream(format, NO_DIRECTORY);
    expect(stream.head() + RESULTS.map((r) => stream.result(r)).join('')).toBe('');
    expect(stream.tail(TAIL)).toBe(render(trafficGraph(RESULTS)));
  });

  it('names how many input errors the run had, in a comment line of the format', () => {
    const diagnostics = [{ severity: 'error' as const, code: 'invalid-flow' as const, message: 'x' }, { severity: 'warning' as const, code: 'invalid-flow' as const, message: 'y' }];
    const dot = graphStream('dot', NO_DIRECTORY);
    const mermaid = graphStream('mermaid', NO_DIRECTORY);
    expect(dot.tail({ ...TAIL, diagnostics }).split('\n')[0]).toBe('// 1 input error (rejected objects are left out of the simulation); -o text lists them');
    expect(mermaid.tail({ ...TAIL, diagnostics }).split('\n')[0]).toBe('%% 1 input error (rejected objects are left out of the simulation); -o text lists them');
  });
});
