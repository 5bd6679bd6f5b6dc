import type { FlowResult } from '../../model/result.js';
import type { ReportStream, ReportTail } from '../report-stream.js';
import type { GraphDirectory } from './graph-directory.js';
import { TrafficGraphBuilder } from './graph-builder.js';
import { renderGraphDot } from './graph-dot.js';
import { renderGraphMermaid } from './graph-mermaid.js';

export type GraphFormat = 'dot' | 'mermaid';

/**
 * `-o dot` and `-o mermaid` as a report stream: each result is counted into the graph as it is
 * decided (nothing is written, nothing kept per flow) and the graph is written at the end, with a
 * comment line naming how many input errors the run had.
 */
export function graphStream(format: GraphFormat, directory: GraphDirectory): ReportStream {
  const builder = new TrafficGraphBuilder(directory);
  return {
    head: () => '',
    result: (r: FlowResult) => {
      builder.add(r);
      return '';
    },
    tail: (rest: ReportTail) => {
      const graph = builder.graph();
      const errors = rest.diagnostics.filter((d) => d.severity === 'error').length;
      const comment = format === 'dot' ? '//' : '%%';
      const head = errors === 0 ? '' : `${comment} ${errors} input error${errors === 1 ? '' : 's'} (rejected objects are left out of the simulation); -o text lists them\n`;
      return head + (format === 'dot' ? renderGraphDot(graph) : renderGraphMermaid(graph));
    },
  };
}
