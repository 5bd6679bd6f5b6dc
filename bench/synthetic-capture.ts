/**
 * Writes a synthetic classic pcap (Ethernet, IPv4, TCP) of HTTP/1.1 keep-alive connections between
 * the pods and Services of the benchmark cluster (bench/synthetic-cluster.ts): SYN, SYN-ACK, ACK, one
 * or two request/response exchanges with ACKs, FIN, FIN, ACK. Deterministic for a seed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { BENCH_SIZE, prng } from './synthetic-cluster.js';

const PODS = BENCH_SIZE.namespaces * BENCH_SIZE.servicesPerNamespace * BENCH_SIZE.podsPerService;
const podIp = (k: number): number => ((10 << 24) | ((100 + (k >> 16)) << 16) | (((k >> 8) & 255) << 8) | (k & 255)) >>> 0;
const vip = (n: number, s: number): number => ((10 << 24) | (96 << 16) | (n << 8) | (s + 1)) >>> 0;
const PATHS = ['/api/v1/items', '/api/v1/orders', '/admin/users', '/healthz', '/api/v2/payments', '/internal/metrics'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];

class PcapWriter {
  private readonly buf = Buffer.alloc(8 * 1024 * 1024);
  private used = 0;
  written = 0;
  packets = 0;

  constructor(private readonly fd: number) {
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(262144, 16);
    h.writeUInt32LE(1, 20);
    this.out(h);
  }

  private out(b: Buffer): void {
    writeSync(this.fd, b);
    this.written += b.length;
  }

  /** Appends one Ethernet/IPv4/TCP frame. */
  tcp(time: number, src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, payload: Buffer | undefined): void {
    const plen = payload?.length ?? 0;
    const frame = 14 + 20 + 20 + plen;
    if (this.used + 16 + frame > this.buf.length) this.flush();
    const b = this.buf;
    let o = this.used;
    b.writeUInt32LE(Math.floor(time), o);
    b.writeUInt32LE(Math.floor((time % 1) * 1e6), o + 4);
    b.writeUInt32LE(frame, o + 8);
    b.writeUInt32LE(frame, o + 12);
    o += 16;
    b.fill(0, o, o + 54);
    b.writeUInt16BE(0x0800, o + 12);
    o += 14;
    b[o] = 0x45;
    b.writeUInt16BE(20 + 20 + plen, o + 2);
    b[o + 8] = 64;
    b[o + 9] = 6;
    b.writeUInt32BE(src, o + 12);
    b.writeUInt32BE(dst, o + 16);
    o += 20;
    b.writeUInt16BE(sport, o);
    b.writeUInt16BE(dport, o + 2);
    b.writeUInt32BE(seq >>> 0, o + 4);
    b.writeUInt32BE(ack >>> 0, o + 8);
    b[o + 12] = 0x50;
    b[o + 13] = flags;
    b.writeUInt16BE(65535, o + 14);
    o += 20;
    if (payload) payload.copy(b, o);
    this.used = o + plen;
    this.packets++;
  }

  flush(): void {
    if (this.used > 0) this.out(this.buf.subarray(0, this.used));
    this.used = 0;
  }
}

/** Writes connections until the file reaches `targetBytes`; returns packets and connections written. */
export function writeSyntheticCapture(path: string, targetBytes: number, seed = 7): { bytes: number; packets: number; connections: number; requests: number } {
  const rand = prng(seed);
  const fd = openSync(path, 'w');
  const w = new PcapWriter(fd);
  const body = Buffer.alloc(240, 'x');
  let time = 1_700_000_000;
  let connections = 0;
  let requests = 0;
  while (w.written < targetBytes) {
    const client = podIp(1 + Math.floor(rand() * PODS));
    const n = Math.floor(rand() * BENCH_SIZE.namespaces);
    const s = Math.floor(rand() * BENCH_SIZE.servicesPerNamespace);
    const toPod = rand() < 0.2;
    const server = toPod ? podIp(1 + n * BENCH_SIZE.servicesPerNamespace * BENCH_SIZE.podsPerService + s * BENCH_SIZE.podsPerService) : vip(n, s);
    const dport = toPod ? 8080 : 80;
    const sport = 32768 + (connections % 28000);
    let cs = Math.floor(rand() * 2 ** 32);
    let ss = Math.floor(rand() * 2 ** 32);
    const t = (d: number): number => (time += d);
    w.tcp(t(0.0001), client, server, sport, dport, cs, 0, 0x02, undefined);
    w.tcp(t(0.0001), server, client, dport, sport, ss, cs + 1, 0x12, undefined);
    cs++; ss++;
    w.tcp(t(0.0001), client, server, sport, dport, cs, ss, 0x10, undefined);
    const exchanges = rand() < 0.5 ? 1 : 2;
    for (let e = 0; e < exchanges; e++) {
      const i = Math.floor(rand() * PATHS.length);
      const req = Buffer.from(`${METHODS[i]} ${PATHS[i]}/${Math.floor(rand() * 100)} HTTP/1.1\r\nHost: svc-${s}.ns-${n}\r\nUser-Agent: bench/1\r\n\r\n`);
      w.tcp(t(0.0002), client, server, sport, dport, cs, ss, 0x18, req);
      cs += req.length;
      w.tcp(t(0.0001), server, client, dport, sport, ss, cs, 0x10, undefined);
      const res = Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
      w.tcp(t(0.0005), server, client, dport, sport, ss, cs, 0x18, res);
      ss += res.length;
      w.tcp(t(0.0001), client, server, sport, dport, cs, ss, 0x10, undefined);
      requests++;
    }
    w.tcp(t(0.0001), client, server, sport, dport, cs, ss, 0x11, undefined);
    w.tcp(t(0.0001), server, client, dport, sport, ss, cs + 1, 0x11, undefined);
    w.tcp(t(0.0001), client, server, sport, dport, cs + 1, ss + 1, 0x10, undefined);
    connections++;
  }
  w.flush();
  closeSync(fd);
  return { bytes: w.written, packets: w.packets, connections, requests };
}
