import type { Flow, FlowOrigin } from '../../model/flow.js';
import { Http1RequestStream, type Http1Request } from './http1-request-stream.js';
import { classifyStreamStart } from './stream-start.js';

/** How a connection's client stream was classified. */
export type StreamKind = 'unknown' | 'http1' | 'tls' | 'http2' | 'opaque';

/**
 * The client bytes every open connection of a capture buffers together (a stream start still too
 * short to classify, segments held out of order, an HTTP head straddling segments), against a limit.
 */
export interface BufferBudget {
  used: number;
  readonly limit: number;
}

/** What a connection reports while its client stream is read, and the budget its buffers count against. */
export interface ConnectionEvents {
  readonly buffers: BufferBudget;
  request(connection: Connection, request: Http1Request): void;
  classified(connection: Connection): void;
}

/** A stream start is classified by at most a TLS record header and a whole record. */
const MAX_START_BYTES = 5 + 16384;
/** One connection never holds more out-of-order bytes than this. */
const MAX_OUT_OF_ORDER_BYTES = 256 * 1024;

interface HeldSegment {
  readonly seq: number;
  readonly bytes: Uint8Array;
}

/**
 * One TCP connection (or UDP conversation) of a capture: who is client and server, and the client's
 * byte stream reassembled in sequence order (retransmissions trimmed, out-of-order segments held
 * briefly) and handed to the protocol readers.
 */
export class Connection {
  stream: StreamKind = 'unknown';
  sni: string | undefined;
  http: Http1RequestStream | undefined;
  stopReason: string | undefined;
  emitted = false;
  requests = 0;
  clientFin = false;
  serverFin = false;
  closed = false;
  lastSeen = 0;
  /** Next connection in the same flow-table bucket, and its neighbours in the table's insertion order. */
  nextInBucket: Connection | undefined;
  older: Connection | undefined;
  newer: Connection | undefined;
  /** What every flow of this connection shares (its ends and its origin), made with its first flow. */
  flowSource: Flow['source'] | undefined;
  flowDestination: Flow['destination'] | undefined;
  flowOrigin: FlowOrigin | undefined;
  /** Bytes of this connection counted in the budget. */
  private buffered = 0;
  /** The next client sequence number expected (signed 32-bit, compared modulo 2^32), once known. */
  private nextSeq = 0;
  private synced = false;
  private start: Uint8Array | undefined;
  private held: HeldSegment[] | undefined;
  private heldBytes = 0;

  constructor(
    readonly id: number,
    readonly key: string,
    readonly transport: 'tcp' | 'udp',
    readonly client: { readonly ip: string; readonly port: number; readonly raw: number | string },
    readonly server: { readonly ip: string; readonly port: number; readonly raw: number | string },
    readonly firstPacket: number,
    readonly time: number,
    readonly note: string | undefined,
    private readonly events: ConnectionEvents,
  ) {
    this.lastSeen = time;
  }

  /** The client's SYN: the stream starts at its sequence number plus one. */
  synchronize(seq: number): void {
    this.nextSeq = (seq + 1) | 0;
    this.synced = true;
  }

  /** A client segment: `b[from..from+length)` captured, `missing` more bytes cut by snaplen. */
  clientSegment(seq: number, b: Uint8Array, from: number, length: number, missing: number): void {
    if (this.stream === 'opaque' || this.stream === 'tls' || this.stream === 'http2' || this.stopReason) return;
    if (!this.synced) {
      this.nextSeq = seq | 0;
      this.synced = true;
    }
    const ahead = (seq - this.nextSeq) | 0;
    if (ahead > 0) {
      this.hold(seq, b, from, length, missing);
      return this.account();
    }
    const skip = -ahead;
    if (skip >= length + missing) return;
    if (skip < length) this.deliver(b, from + skip, from + length);
    const lost = skip < length ? missing : missing - (skip - length);
    if (lost > 0) this.lose(lost);
    this.nextSeq = (this.nextSeq + length + missing - skip) | 0;
    if (this.held !== undefined && this.held.length > 0) this.releaseHeld();
    this.account();
  }

  /** Counts this connection's buffers in the shared budget; stops reading it when the budget is spent. */
  private account(): void {
    const now = this.heldBytes + (this.start?.length ?? 0) + (this.http?.bufferedBytes ?? 0);
    if (now === this.buffered) return;
    const budget = this.events.buffers;
    budget.used += now - this.buffered;
    this.buffered = now;
    if (budget.used > budget.limit) this.stop(`the capture's open connections buffer more unfinished client bytes than the ${budget.limit} the replay keeps`);
  }

  /** Gives this connection's buffers back to the budget; call once, when it leaves the flow table. */
  release(): void {
    this.held = undefined;
    this.heldBytes = 0;
    this.start = undefined;
    this.events.buffers.used -= this.buffered;
    this.buffered = 0;
  }

  private hold(seq: number, b: Uint8Array, from: number, length: number, missing: number): void {
    if (missing > 0 || this.heldBytes + length > MAX_OUT_OF_ORDER_BYTES) return this.stop('a gap in the client byte stream that the capture never fills');
    (this.held ??= []).push({ seq, bytes: b.slice(from, from + length) });
    this.heldBytes += length;
  }

  private releaseHeld(): void {
    let progress = true;
    while (progress && this.held !== undefined && this.held.length > 0 && !this.stopReason) {
      progress = false;
      const held = this.held;
      for (let i = 0; i < held.length; i++) {
        const s = held[i] as HeldSegment;
        if (((s.seq - this.nextSeq) | 0) > 0) continue;
        held.splice(i, 1);
        this.heldBytes -= s.bytes.length;
        this.clientSegment(s.seq, s.bytes, 0, s.bytes.length, 0);
        progress = true;
        break;
      }
    }
  }

  /** End of the capture or of the connection: anything still held means bytes never arrived. */
  flushHeld(): void {
    if (this.held !== undefined && this.held.length > 0) this.stop('a gap in the client byte stream that the capture never fills');
    this.held = undefined;
  }

  private deliver(b: Uint8Array, from: number, to: number): void {
    if (this.stream === 'http1') return (this.http as Http1RequestStream).feed(b, from, to);
    let bytes = b;
    let s = from;
    let e = to;
    if (this.start) {
      bytes = new Uint8Array(this.start.length + (to - from));
      bytes.set(this.start, 0);
      bytes.set(b.subarray(from, to), this.start.length);
      s = 0;
      e = bytes.length;
    }
    const kind = classifyStreamStart(bytes, s, e);
    if (kind.kind === 'need-more' && e - s < MAX_START_BYTES) {
      this.start = bytes === b ? b.slice(from, to) : bytes;
      return;
    }
    this.start = undefined;
    this.stream = kind.kind === 'need-more' ? 'opaque' : kind.kind;
    if (kind.kind === 'tls') this.sni = kind.sni;
    if (this.stream === 'http1') {
      this.http = new Http1RequestStream((r) => this.events.request(this, r));
      this.http.feed(bytes, s, e);
    }
    this.events.classified(this);
  }

  private lose(bytes: number): void {
    if (this.stream === 'http1') {
      const http = this.http as Http1RequestStream;
      http.gap(bytes);
      if (http.stopped) this.stop(http.stopReason as string);
    } else if (this.stream === 'unknown') this.stop('the first client bytes were cut by the snapshot length');
  }

  stop(reason: string): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.http?.stop(reason);
    this.held = undefined;
    this.heldBytes = 0;
    this.start = undefined;
    this.account();
  }

  /** Client bytes arrived but were too few to tell the protocol. */
  get undecided(): boolean {
    return this.start !== undefined;
  }

  /** The reason reading stopped, if it did before the end of the stream. */
  get l7StopReason(): string | undefined {
    return this.stopReason ?? this.http?.stopReason;
  }
}
