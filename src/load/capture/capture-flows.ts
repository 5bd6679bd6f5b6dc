import type { Flow, FlowOrigin } from '../../model/flow.js';
import type { ConnectionAccounting, PacketAccounting } from '../../model/capture.js';
import { emptyConnectionAccounting, emptyPacketAccounting } from './capture-accounting.js';
import { Connection, type BufferBudget, type ConnectionEvents } from './connection.js';
import { ConnectionTable } from './connection-table.js';
import { decodeIp } from './decode-ip.js';
import { decodeLink } from './decode-link.js';
import { emptyDecodedPacket, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type DecodedPacket, type PacketFate } from './decoded-packet.js';
import type { Http1Request } from './http1-request-stream.js';
import { formatIpv6, ipv4Text } from './format-ip.js';
import type { PacketView } from './packet.js';

export interface CaptureFlowOptions {
  /** Names the capture in flow ids (`<name>#<connection>.<request>`) and origins. */
  readonly name: string;
  /** A connection silent this long (capture time) is closed and its flows emitted. Default 300 s. */
  readonly idleTimeoutSeconds?: number;
  /** The flow table never holds more connections than this; the oldest are closed first. Default 250,000. */
  readonly maxConnections?: number;
  /** True when the manifests say a server listens on ip:port; decides client and server without a SYN. */
  readonly isServer?: (ip: string, port: number) => boolean;
  /**
   * All open connections together never buffer more unfinished client bytes than this (stream starts
   * too short to classify, out-of-order segments, HTTP heads across segments); a connection that would
   * go past it stops being read, with a reason. Default 64 MB.
   */
  readonly maxBufferedBytes?: number;
}

/** Every this many packets, the table is swept if half the idle timeout has passed in capture time. */
const SWEEP_CHECK_EVERY = 1024;

/**
 * Turns a capture's packets into flows: one per TCP connection (the SYN decides client and server),
 * one per HTTP/1 request on it, one per UDP conversation. Flows go to `onFlow` as soon as they are
 * known; connections are dropped from the table on FIN, RST, idleness or a full table (at most
 * `maxConnections`), and their buffers share one budget (`maxBufferedBytes`), so memory stays flat in
 * the size of the capture. Nothing is allocated per packet: packets are decoded into one reused record,
 * IPv4 conversations are found by a numeric hash, and payload bytes are read where they lie.
 */
export class CaptureFlowExtractor implements ConnectionEvents {
  readonly packets: PacketAccounting = emptyPacketAccounting();
  readonly connections: ConnectionAccounting = emptyConnectionAccounting();
  readonly buffers: BufferBudget;
  private readonly table = new ConnectionTable();
  private readonly source: NonNullable<FlowOrigin['source']>;
  private readonly decoded: DecodedPacket = emptyDecodedPacket();
  private readonly at = { offset: 0 };
  private readonly idle: number;
  private readonly max: number;
  private nextId = 1;
  private origin: { seconds: number; nanoseconds: number } | undefined;
  private now = 0;
  private lastSweep = 0;
  firstTime = NaN;
  lastTime = NaN;

  constructor(private readonly options: CaptureFlowOptions, private readonly onFlow: (flow: Flow) => void) {
    this.idle = options.idleTimeoutSeconds ?? 300;
    this.max = options.maxConnections ?? 250_000;
    this.buffers = { used: 0, limit: options.maxBufferedBytes ?? 64 * 1024 * 1024 };
    this.source = { file: options.name, document: 0, line: 0 };
  }

  /** Decodes one packet and updates the flow table. */
  packet(p: PacketView): void {
    const acct = this.packets;
    acct.total++;
    this.clock(p);
    const d = this.decoded;
    d.fate = 'decoded';
    const end = p.start + p.capturedLength;
    const ethertype = decodeLink(p.linkType, p.bytes, p.start, end, d, this.at);
    if (ethertype !== 0) decodeIp(p.bytes, this.at.offset, end, p.start + Math.max(p.originalLength, p.capturedLength), ethertype, d);
    const fate = d.fate as PacketFate;
    if (fate !== 'decoded') {
      acct[fate]++;
      const reasons = acct.reasons[fate];
      reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
      return;
    }
    acct.decoded++;
    if (d.transport === 'tcp') this.tcp(d, p);
    else this.udp(d, p);
    if ((acct.total & (SWEEP_CHECK_EVERY - 1)) === 0 && this.now - this.lastSweep >= this.idle / 2) this.sweep();
  }

  /** Closes every connection still open and emits what they hold. Call once, after the last packet. */
  finish(): void {
    for (let c = this.table.oldest; c; c = c.newer) this.close(c);
  }

  request(c: Connection, r: Http1Request): void {
    c.requests++;
    this.connections.httpRequests++;
    // A request that does not upgrade has exactly the shape of a flow's HTTP attributes.
    const http = r.upgrade === undefined ? r : r.host !== undefined ? { method: r.method, path: r.path, headers: r.headers, host: r.host } : { method: r.method, path: r.path, headers: r.headers };
    const origin = this.emitted(c);
    this.onFlow({ id: `${this.options.name}#${c.id}.${c.requests}`, source: c.flowSource as Flow['source'], destination: c.flowDestination as Flow['destination'], time: this.now, origin, protocol: 'http', http });
  }

  classified(c: Connection): void {
    if (c.stream === 'tls') {
      this.connections.tls++;
      this.onFlow({ ...this.connectionFlow(c), appTls: c.sni !== undefined ? { sni: c.sni } : {}, l7Unknown: 'tls' });
    } else if (c.stream === 'http2') {
      this.connections.http2++;
      this.onFlow({ ...this.connectionFlow(c), l7Unknown: 'http2' });
    } else if (c.stream === 'opaque') {
      this.connections.opaque++;
      this.onFlow(this.connectionFlow(c));
    }
  }

  private clock(p: PacketView): void {
    if (Number.isNaN(p.seconds)) return;
    if (!this.origin) {
      this.origin = { seconds: p.seconds, nanoseconds: p.nanoseconds };
      this.firstTime = p.seconds + p.nanoseconds / 1e9;
    }
    this.now = p.seconds - this.origin.seconds + (p.nanoseconds - this.origin.nanoseconds) / 1e9;
    this.lastTime = p.seconds + p.nanoseconds / 1e9;
  }

  private tcp(d: DecodedPacket, p: PacketView): void {
    const v4 = d.ipVersion === 4;
    const key = v4 ? '' : ipv6Key('', d);
    const flags = d.flags;
    let c = v4 ? this.table.find4(false, d.src4, d.srcPort, d.dst4, d.dstPort) : this.table.find(key);
    const syn = (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
    if (c && syn && (c.clientFin || c.serverFin || !this.fromClient(c, d))) {
      this.close(c);
      this.table.remove(c);
      c = undefined;
    }
    if (!c) {
      if (!syn && ((flags & TCP_RST) !== 0 || ((flags & TCP_FIN) !== 0 && d.payloadLength === 0) || (d.payloadLength === 0 && (flags & TCP_SYN) === 0))) {
        this.connections.strayPackets++;
        return;
      }
      c = this.open(key, d, p, flags);
    }
    c.lastSeen = this.now;
    if (this.fromClient(c, d)) {
      if (syn) c.synchronize(d.seq);
      else if (d.payloadLength > 0 || d.payloadMissing > 0) c.clientSegment(d.seq, p.bytes, d.payloadStart, d.payloadLength, d.payloadMissing);
      if (flags & TCP_FIN) c.clientFin = true;
    } else if (flags & TCP_FIN) c.serverFin = true;
    if ((flags & TCP_RST) !== 0 || (c.clientFin && c.serverFin)) {
      this.close(c);
      this.table.remove(c);
    }
  }

  private fromClient(c: Connection, d: DecodedPacket): boolean {
    return d.srcPort === c.client.port && (d.ipVersion === 4 ? d.src4 === c.client.raw : d.src6 === c.client.raw);
  }

  private open(key: string, d: DecodedPacket, p: PacketView, flags: number): Connection {
    if (this.table.size >= this.max) this.evictOldest();
    const src = { raw: d.ipVersion === 4 ? d.src4 : d.src6, ip: d.ipVersion === 4 ? ipv4Text(d.src4) : formatIpv6(d.src6), port: d.srcPort };
    const dst = { raw: d.ipVersion === 4 ? d.dst4 : d.dst6, ip: d.ipVersion === 4 ? ipv4Text(d.dst4) : formatIpv6(d.dst6), port: d.dstPort };
    let client = src;
    let server = dst;
    let note: string | undefined;
    if (d.transport === 'tcp' && (flags & TCP_SYN) !== 0 && (flags & TCP_ACK) !== 0) {
      [client, server] = [dst, src];
      note = 'the SYN was not captured; the SYN-ACK names the server';
    } else if (d.transport === 'tcp' && (flags & TCP_SYN) === 0) {
      const known = this.options.isServer;
      if (known?.(src.ip, src.port) && !known(dst.ip, dst.port)) [client, server] = [dst, src];
      else if (!known?.(dst.ip, dst.port) && src.port < dst.port) [client, server] = [dst, src];
      note = `the connection began before the capture (no SYN); ${server.ip}:${server.port} is taken as the server because ${known?.(server.ip, server.port) ? 'the manifests have a listener there' : 'its port is the lower one'}`;
    }
    if (d.transport === 'tcp') this.connections.tcp++;
    else this.connections.udp++;
    if (note) this.connections.withoutSyn++;
    const c = new Connection(this.nextId++, key, d.transport, client, server, p.index, this.now, note, this);
    this.table.add(c);
    return c;
  }

  private udp(d: DecodedPacket, p: PacketView): void {
    const key = d.ipVersion === 4 ? '' : ipv6Key('u', d);
    const c = d.ipVersion === 4 ? this.table.find4(true, d.src4, d.srcPort, d.dst4, d.dstPort) : this.table.find(key);
    if (c) {
      c.lastSeen = this.now;
      return;
    }
    this.onFlow(this.connectionFlow(this.open(key, d, p, 0)));
  }

  private close(c: Connection): void {
    if (c.closed) return;
    c.closed = true;
    c.flushHeld();
    if (c.stream === 'unknown' && c.undecided) {
      c.stream = 'opaque';
      this.classified(c);
    }
    const stopped = c.l7StopReason;
    if (stopped) {
      // Quoted snippets differ per connection; the reason without them is what counts.
      const reason = stopped.replace(/"[^"]*"/g, '"…"');
      this.connections.l7Stopped[reason] = (this.connections.l7Stopped[reason] ?? 0) + 1;
    }
    if (!c.emitted) {
      if (c.transport === 'tcp') this.connections.silent++;
      this.onFlow(this.connectionFlow(c));
    }
    c.release();
  }

  private sweep(): void {
    this.lastSweep = this.now;
    const limit = this.now - this.idle;
    for (let c = this.table.oldest; c; ) {
      const next = c.newer;
      if (c.lastSeen < limit) {
        this.close(c);
        this.table.remove(c);
        this.connections.evictedIdle++;
      }
      c = next;
    }
  }

  private evictOldest(): void {
    const target = Math.floor(this.max * 0.9);
    for (let c = this.table.oldest; c && this.table.size > target; c = this.table.oldest) {
      this.close(c);
      this.table.remove(c);
      this.connections.evictedFull++;
    }
  }

  /**
   * Marks the connection as having a flow and returns the origin its flows carry. A connection's
   * flows share their source, destination and origin objects (flows are read-only).
   */
  private emitted(c: Connection): FlowOrigin {
    this.connections.flows++;
    if (c.emitted) return c.flowOrigin as FlowOrigin;
    c.emitted = true;
    c.flowSource = { ip: c.client.ip };
    c.flowDestination = { ip: c.server.ip, port: c.server.port };
    c.flowOrigin = c.note ? { kind: 'capture', source: this.source, packet: c.firstPacket, note: c.note } : { kind: 'capture', source: this.source, packet: c.firstPacket };
    return c.flowOrigin;
  }

  /** The one flow of a connection that carries no HTTP/1 request (TCP or UDP, at the connection's start). */
  private connectionFlow(c: Connection): Flow & { protocol: 'tcp' | 'udp' } {
    const origin = this.emitted(c);
    return { id: `${this.options.name}#${c.id}`, source: c.flowSource as Flow['source'], destination: c.flowDestination as Flow['destination'], time: c.time, origin, protocol: c.transport };
  }
}

/** The key of an IPv6 conversation, the same in both directions; `u` starts UDP keys. */
function ipv6Key(prefix: string, d: DecodedPacket): string {
  return d.src6 < d.dst6 || (d.src6 === d.dst6 && d.srcPort <= d.dstPort) ? `${prefix}${d.src6}:${d.srcPort}>${d.dst6}:${d.dstPort}` : `${prefix}${d.dst6}:${d.dstPort}>${d.src6}:${d.srcPort}`;
}
