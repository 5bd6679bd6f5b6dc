/** Flows written as a JSONL flows file (DESIGN.md "Flows file"), one entry per line. */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Flow } from '../../src/model/flow.js';

/** One flows-file entry: the shape a user writes, with the HTTP request's fields at the top level. */
export function flowEntry(flow: Flow): Record<string, unknown> {
  return {
    id: flow.id, source: flow.source, destination: flow.destination, protocol: flow.protocol,
    ...(flow.http ? { method: flow.http.method, path: flow.http.path, ...(flow.http.host !== undefined ? { host: flow.http.host } : {}), ...(Object.keys(flow.http.headers).length > 0 ? { headers: flow.http.headers } : {}) } : {}),
    time: flow.time,
  };
}

/** Writes the first `count` flows to `file` as JSONL, in blocks so no single string grows with the count; returns the bytes written. */
export function writeFlowsFile(file: string, flows: readonly Flow[], count = flows.length): number {
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    for (let start = 0; start < count; start += 10_000) {
      let block = '';
      for (let i = start; i < Math.min(count, start + 10_000); i++) block += `${JSON.stringify(flowEntry(flows[i] as Flow))}\n`;
      bytes += writeSync(fd, block);
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}
