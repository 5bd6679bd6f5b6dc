import type { FlowResult, ResultOrigin } from '../../model/result.js';
import { decisionText } from '../diff-groups.js';
import { nearMissText, stepText } from '../reason-text.js';
import { escapeText } from '../escape-text.js';
import { WIRE_CLASS, WIRE_CLASS_WIDTH, type PageExplanation } from './page-data.js';
import type { PageTables } from './page-tables.js';

/** Flows as columns: per flow its id, class and origin; classes (what many flows share) stored once. */
export interface EncodedFlows {
  readonly ids: string[];
  readonly flowClass: number[];
  readonly classes: number[];
  readonly origin: number[];
}

/** Builds columns from results, class by class, each class with the id of its graph edge. */
export class FlowEncoder {
  readonly flows: EncodedFlows = { ids: [], flowClass: [], classes: [], origin: [] };
  private readonly classIndex = new Map<string, number>();
  private readonly classEdges: (string | undefined)[] = [];

  constructor(private readonly tables: PageTables) {}

  /** Adds a flow drawn on edge `edge` (undefined: on none); returns its index among the flows. */
  add(r: FlowResult, edge?: string): number {
    const f = this.flows;
    f.ids.push(escapeText(r.id));
    f.flowClass.push(this.classOf(r, edge));
    f.origin.push(r.origin ? this.tables.string(originText(r.origin)) : -1);
    return f.ids.length - 1;
  }

  /** The class index of a result, adding the class when it is new (flows of one class share their edge). */
  classOf(r: FlowResult, edge?: string): number {
    const t = this.tables;
    const decision = t.decisions.add([
      r.verdict === 'deny' ? 1 : 0, r.encrypted ? 1 : 0, t.string(r.decidedBy.component), t.string(r.decidedBy.name),
      t.string(r.policy), r.rule ?? -1, t.string(r.reason), t.string(decisionText(r)),
    ]);
    const fields = [t.string(r.source), t.string(r.destination), decision, t.explanation(encodeExplanation(r, t))];
    const key = fields.join(',');
    let i = this.classIndex.get(key);
    if (i === undefined) {
      i = this.classEdges.length;
      this.classEdges.push(edge);
      this.flows.classes.push(...fields, -1);
      this.classIndex.set(key, i);
    }
    return i;
  }

  /** Writes each class's edge index, once the graph's edges are known. */
  placeEdges(edgeIndex: ReadonlyMap<string, number>): void {
    this.classEdges.forEach((edge, c) => {
      this.flows.classes[c * WIRE_CLASS_WIDTH + WIRE_CLASS.edge] = edge === undefined ? -1 : (edgeIndex.get(edge) ?? -1);
    });
  }

  /** Whether any flow was recorded (has an origin). */
  recorded(): boolean {
    return this.flows.origin.some((o) => o !== -1);
  }
}

/** A result's hops and steps as indices of hop and step tuples (of string indices); the English of each step is written here. */
export function encodeExplanation(r: FlowResult, t: PageTables): PageExplanation {
  const hops = r.hops.map((h) => t.hops.add([t.string(h.from), t.string(h.to), t.string(h.transport), t.string(h.peerIdentity)]));
  const steps = r.steps.map((s) => {
    const rule = s.policy === undefined ? undefined : s.rule === undefined ? s.policy : `${s.policy} rule ${s.rule}`;
    return t.steps.add([t.string(s.at), t.string(s.effect), t.string(stepText(s)), t.string(rule), t.string(s.nearMiss ? nearMissText(s.nearMiss) : undefined)]);
  });
  return { hops, steps };
}

/** `capture demo.pcap, packet 12 (note)`. */
export function originText(o: ResultOrigin): string {
  const where = o.kind === 'capture'
    ? `capture ${o.file ?? ''}${o.packet !== undefined ? `, packet ${o.packet}` : ''}`
    : `flow log ${o.file ?? ''}${o.line !== undefined ? `, line ${o.line}` : ''}`;
  return o.note ? `${where} (${o.note})` : where;
}

