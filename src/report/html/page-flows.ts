import type { FlowResult } from '../../model/result.js';
import { FlowEncoder } from './encode-flows.js';
import type { PageGraph } from './page-data.js';
import type { PageTables } from './page-tables.js';

/** How many flows a report's table lists; flows past it still count in the graph and the summary. */
export const HTML_FLOW_LIMIT = 200_000;

/** What a view's graph is built from: each result counted into its edge, whose id it returns. */
export interface GraphTally {
  add(result: FlowResult): string;
  /** The laid-out graph, and each edge id's index among its edges. */
  page(): { graph: PageGraph; edgeIndex: ReadonlyMap<string, number> };
}

/**
 * The flows of one view as they are decided: every result counted into the graph, the first
 * {@link HTML_FLOW_LIMIT} also encoded into the table's columns (results are not kept).
 */
export class PageFlows {
  readonly encoder: FlowEncoder;
  total = 0;

  constructor(tables: PageTables, readonly graph: GraphTally, readonly limit = HTML_FLOW_LIMIT) {
    this.encoder = new FlowEncoder(tables);
  }

  /** Counts a result; returns its index in the table, or -1 past the limit. */
  add(result: FlowResult): number {
    const edge = this.graph.add(result);
    this.total++;
    return this.total <= this.limit ? this.encoder.add(result, edge) : -1;
  }

  /** The graph, the columns with each class's edge filled in, and the note when flows were left out. */
  finish(): { graph: PageGraph; note?: string } {
    const { graph, edgeIndex } = this.graph.page();
    this.encoder.placeEdges(edgeIndex);
    const left = this.total - this.encoder.flows.ids.length;
    return left > 0
      ? { graph, note: `The table lists the first ${this.limit.toLocaleString('en')} of ${this.total.toLocaleString('en')} flows; the graph and the summary count all of them.` }
      : { graph };
  }
}
