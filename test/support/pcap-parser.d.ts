/** The part of pcap-parser 0.2.1 the oracle tests use (the package ships no types). */
declare module 'pcap-parser' {
  import type { EventEmitter } from 'node:events';
  import type { Readable } from 'node:stream';
  export function parse(input: string | Readable): EventEmitter;
  const pcapParser: { parse: typeof parse };
  export default pcapParser;
}
