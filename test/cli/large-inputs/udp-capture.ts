import { closeSync, openSync, writeSync } from 'node:fs';
import { pcapFile } from '../../support/capture-builder.js';

/** A classic pcap (Ethernet) of `count` UDP packets, each its own conversation: one flow per packet. */
export function udpCapture(file: string, count: number): void {
  const header = pcapFile([], { snaplen: 65535 });
  const frame = 14 + 20 + 8 + 4;
  const record = 16 + frame;
  const fd = openSync(file, 'w');
  try {
    writeAll(fd, header);
    const per = 65_536;
    const block = Buffer.alloc(per * record);
    for (let start = 0; start < count; start += per) {
      const n = Math.min(per, count - start);
      for (let k = 0; k < n; k++) writeUdp(block, k * record, start + k);
      writeAll(fd, block.subarray(0, n * record));
    }
  } finally {
    closeSync(fd);
  }
}

function writeUdp(b: Buffer, o: number, i: number): void {
  b.writeUInt32LE(1_700_000_000 + Math.floor(i / 1_000_000), o);
  b.writeUInt32LE(i % 1_000_000, o + 4);
  b.writeUInt32LE(46, o + 8);
  b.writeUInt32LE(46, o + 12);
  const e = o + 16;
  b.fill(0, e, e + 12);
  b.writeUInt16BE(0x0800, e + 12);
  const ip = e + 14;
  b.writeUInt8(0x45, ip);
  b.writeUInt8(0, ip + 1);
  b.writeUInt16BE(32, ip + 2);
  b.writeUInt32BE(0, ip + 4);
  b.writeUInt8(64, ip + 8);
  b.writeUInt8(17, ip + 9);
  b.writeUInt16BE(0, ip + 10);
  // Source 198.51.x.y, a source port per packet: every packet is a conversation of its own.
  b.writeUInt8(198, ip + 12);
  b.writeUInt8(51, ip + 13);
  b.writeUInt16BE(Math.floor(i / 50_000), ip + 14);
  b.writeUInt32BE(0x0af4030b, ip + 16);
  const udp = ip + 20;
  b.writeUInt16BE(10_000 + (i % 50_000), udp);
  b.writeUInt16BE(53, udp + 2);
  b.writeUInt16BE(12, udp + 4);
  b.writeUInt16BE(0, udp + 6);
  b.write('ping', udp + 8, 'latin1');
}

function writeAll(fd: number, b: Uint8Array): void {
  for (let off = 0; off < b.length;) off += writeSync(fd, b, off, b.length - off);
}
