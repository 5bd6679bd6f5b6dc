/**
 * Builds capture files and frames byte by byte for tests: classic pcap (either byte order, micro- or
 * nanosecond), pcapng sections, and Ethernet/IPv4/IPv6/TCP/UDP frames.
 */
export interface Frame {
  readonly bytes: Uint8Array;
  readonly seconds?: number;
  readonly fraction?: number;
  /** Original length when it differs from the captured bytes. */
  readonly wire?: number;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

class Bytes {
  private readonly parts: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number): this {
    this.parts.push(v & 255);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >> 8) : this.u8(v >> 8).u8(v);
  }
  u32(v: number): this {
    return this.le ? this.u16(v & 0xffff).u16(v >>> 16) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(b: Uint8Array | readonly number[]): this {
    for (const x of b) this.parts.push(x);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** A classic pcap file. */
export function pcapFile(frames: readonly Frame[], options: { linkType?: number; littleEndian?: boolean; nano?: boolean; snaplen?: number; major?: number } = {}): Uint8Array {
  const le = options.littleEndian ?? true;
  const b = new Bytes(le).u32(options.nano ? 0xa1b23c4d : 0xa1b2c3d4).u16(options.major ?? 2).u16(4).u32(0).u32(0).u32(options.snaplen ?? 262144).u32(options.linkType ?? 1);
  frames.forEach((f, i) => {
    b.u32(f.seconds ?? 1_700_000_000 + i).u32(f.fraction ?? 0).u32(f.bytes.length).u32(f.wire ?? f.bytes.length).raw(f.bytes);
  });
  return b.done();
}

function pad4(b: Bytes): void {
  while (b.length % 4 !== 0) b.u8(0);
}

function block(le: boolean, type: number, body: Uint8Array): Uint8Array {
  const length = 12 + body.length;
  return new Bytes(le).u32(type).u32(length).raw(body).u32(length).done();
}

export interface PcapngInterface {
  readonly linkType: number;
  readonly snaplen?: number;
  /** Raw if_tsresol byte (6 = microseconds, 9 = nanoseconds, 0x88 = 2^-8 s). */
  readonly tsresol?: number;
}

/** One pcapng section: SHB, IDBs, then enhanced (or simple) packet blocks and any extra blocks. */
export function pcapngSection(interfaces: readonly PcapngInterface[], packets: ReadonlyArray<Frame & { iface?: number; simple?: boolean; ts?: readonly [number, number] }>, options: { littleEndian?: boolean; major?: number; extraBlocks?: ReadonlyArray<readonly [number, Uint8Array]> } = {}): Uint8Array {
  const le = options.littleEndian ?? true;
  const shb = new Bytes(le).u32(0x1a2b3c4d).u16(options.major ?? 1).u16(0).u32(0xffffffff).u32(0xffffffff).done();
  const parts = [block(le, 0x0a0d0d0a, shb)];
  for (const i of interfaces) {
    const body = new Bytes(le).u16(i.linkType).u16(0).u32(i.snaplen ?? 0);
    if (i.tsresol !== undefined) {
      body.u16(9).u16(1).u8(i.tsresol);
      pad4(body);
      body.u16(0).u16(0);
    }
    parts.push(block(le, 1, body.done()));
  }
  for (const [type, body] of options.extraBlocks ?? []) parts.push(block(le, type, body));
  for (const p of packets) {
    const body = new Bytes(le);
    if (p.simple) body.u32(p.wire ?? p.bytes.length).raw(p.bytes);
    else body.u32(p.iface ?? 0).u32(p.ts?.[0] ?? 0).u32(p.ts?.[1] ?? 0).u32(p.bytes.length).u32(p.wire ?? p.bytes.length).raw(p.bytes);
    pad4(body);
    parts.push(block(le, p.simple ? 3 : 6, body.done()));
  }
  return concat(parts);
}

export function join(...parts: readonly Uint8Array[]): Uint8Array {
  return concat(parts);
}

const ip4 = (s: string): number[] => s.split('.').map(Number);

export interface TcpSpec {
  readonly src: string;
  readonly dst: string;
  readonly sport: number;
  readonly dport: number;
  readonly flags?: number;
  readonly seq?: number;
  readonly payload?: string | Uint8Array;
}

export const SYN = 0x02;
export const ACK = 0x10;
export const FIN = 0x01;
export const RST = 0x04;
export const PSH = 0x08;

function payloadBytes(p: string | Uint8Array | undefined): Uint8Array {
  return p === undefined ? new Uint8Array(0) : typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

/** A TCP segment header plus payload. */
export function tcpSegment(t: TcpSpec): Uint8Array {
  return new Bytes(false).u16(t.sport).u16(t.dport).u32(t.seq ?? 0).u32(0).u8(0x50).u8(t.flags ?? ACK).u16(65535).u16(0).u16(0).raw(payloadBytes(t.payload)).done();
}

/** An IPv4 packet around a transport segment. */
export function ipv4(src: string, dst: string, protocol: number, transport: Uint8Array, options: { fragment?: number } = {}): Uint8Array {
  return new Bytes(false).u8(0x45).u8(0).u16(20 + transport.length).u16(1).u16(options.fragment ?? 0).u8(64).u8(protocol).u16(0).raw(ip4(src)).raw(ip4(dst)).raw(transport).done();
}

/** An IPv6 packet (addresses as 16 bytes) with optional extension headers before the transport. */
export function ipv6(src: readonly number[], dst: readonly number[], next: number, payload: Uint8Array, options: { payloadLength?: number } = {}): Uint8Array {
  return new Bytes(false).u32(0x60000000).u16(options.payloadLength ?? payload.length).u8(next).u8(64).raw(src).raw(dst).raw(payload).done();
}

/** Ethernet II with optional VLAN tags (`[tpid, vlan]`). */
export function ethernet(ethertype: number, payload: Uint8Array, tags: ReadonlyArray<readonly [number, number]> = []): Uint8Array {
  const b = new Bytes(false).raw(new Array(12).fill(0));
  for (const [tpid, vlan] of tags) b.u16(tpid).u16(vlan);
  return b.u16(ethertype).raw(payload).done();
}

/** An Ethernet/IPv4/TCP frame. */
export function tcpFrame(t: TcpSpec): Uint8Array {
  return ethernet(0x0800, ipv4(t.src, t.dst, 6, tcpSegment(t)));
}

/** An Ethernet/IPv4/UDP frame. */
export function udpFrame(src: string, dst: string, sport: number, dport: number, payload = ''): Uint8Array {
  const p = payloadBytes(payload);
  return ethernet(0x0800, ipv4(src, dst, 17, new Bytes(false).u16(sport).u16(dport).u16(8 + p.length).u16(0).raw(p).done()));
}

/**
 * The frames of one TCP connection: handshake, then each client payload (split into `segments`
 * pieces) answered by an ACK, then FIN/FIN/ACK. Sequence numbers are right.
 */
export function tcpConversation(client: string, server: string, sport: number, dport: number, payloads: readonly (string | Uint8Array)[], options: { segments?: number; withSyn?: boolean } = {}): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let cs = 1000;
  const ss = 5000;
  const c = (flags: number, payload?: Uint8Array): void => {
    frames.push(tcpFrame({ src: client, dst: server, sport, dport, flags, seq: cs, ...(payload ? { payload } : {}) }));
  };
  const s = (flags: number): void => {
    frames.push(tcpFrame({ src: server, dst: client, sport: dport, dport: sport, flags, seq: ss }));
  };
  if (options.withSyn !== false) {
    c(SYN);
    s(SYN | ACK);
    cs++;
    c(ACK);
  }
  for (const p of payloads) {
    const bytes = payloadBytes(p);
    const n = Math.max(1, options.segments ?? 1);
    const size = Math.ceil(bytes.length / n);
    for (let i = 0; i < bytes.length; i += size) {
      c(ACK | PSH, bytes.subarray(i, i + size));
      cs += Math.min(size, bytes.length - i);
    }
    s(ACK);
  }
  c(FIN | ACK);
  s(FIN | ACK);
  return frames;
}

/** A TLS 1.2 ClientHello record with the server_name extension naming `sni`. */
export function clientHello(sni: string): Uint8Array {
  const name = new TextEncoder().encode(sni);
  const sniExt = [0, 0, 0, name.length + 5, 0, name.length + 3, 0, 0, name.length, ...name];
  const body = [3, 3, ...new Array(32).fill(7), 0, 0, 2, 0x13, 0x01, 1, 0, 0, sniExt.length, ...sniExt];
  const hs = [1, 0, body.length >> 8, body.length & 255, ...body];
  return Uint8Array.from([0x16, 3, 1, hs.length >> 8, hs.length & 255, ...hs]);
}
