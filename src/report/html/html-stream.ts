import type { GraphDirectory } from '../graph/graph-directory.js';
import type { ReportStream } from '../report-stream.js';
import { SimulationHtml } from './render-html.js';

/**
 * `-o html` as a report stream: each result is gathered into the page's columns and graph (nothing
 * is written per result), and the whole file is written at the end.
 */
export function htmlStream(directory?: GraphDirectory): ReportStream {
  const html = new SimulationHtml(directory);
  return {
    head: () => '',
    result: (r) => {
      html.add(r);
      return '';
    },
    tail: (rest) => html.render(rest),
  };
}
