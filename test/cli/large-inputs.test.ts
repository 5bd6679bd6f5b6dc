import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommand, ROOT } from './run-cli.js';

/**
 * Inputs of two million items of every kind. Above about 123,600 items a spread of a list into a call
 * overflows the stack; these runs check that nothing does, and that the counts come out right.
 */
const COUNT = Number(process.env['LARGE_INPUT_COUNT'] ?? 2_000_000);
const TIMEOUT = 600_000;
const DEMO = join(ROOT, 'scenarios/demo/cluster');
const dir = mkdtempSync(join(tmpdir(), 'ambient-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with stdout into a file (the output is too big for a pipe buffer held in memory). */
function runToFile(args: readonly string[], name: string): { code: number; stderr: string; out: string } {
  const out = join(dir, name);
  const fd = openSync(out, 'w');
  try {
    const cli = cliCommand(args);
    const r = spawnSync(cli.command, cli.args, {
      cwd: ROOT, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: TIMEOUT, maxBuffer: 64 * 1024 * 1024,
    });
    return { code: r.status ?? -1, stderr: r.stderr, out };
  } finally {
    closeSync(fd);
  }
}

/** Newlines in a file, counted in chunks, and its last line. */
function linesOf(file: string): { lines: number; last: string } {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(8 * 1024 * 1024);
  let lines = 0;
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) for (let i = 0; i < n; i++) if (buffer[i] === 10) lines++;
    const size = statSync(file).size;
    const tail = Buffer.alloc(Math.min(size, 1024 * 1024));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const text = tail.toString('utf8').trimEnd();
    return { lines, last: text.slice(text.lastIndexOf('\n') + 1) };
  } finally {
    closeSync(fd);
  }
}

async function writeLines(file: string, count: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i += 10_000) {
    const block: string[] = [];
    for (let k = i; k < Math.min(count, i + 10_000); k++) block.push(line(k));
    if (!out.write(`${block.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

/** A classic pcap (Ethernet) of `count` UDP packets, each its own conversation: one flow per packet. */
function udpCapture(file: string, count: number): void {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
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

describe(`${COUNT.toLocaleString('en')}-item inputs finish without an internal error and with the right counts`, () => {
  it('simulate streams a JSONL flows file of that many flows, one result line each and a summary that counts them all', async () => {
    const flows = join(dir, 'flows.jsonl');
    const sources = ['orders/checkout-service', 'fintech-core/refund-service', 'frontend/web'];
    await writeLines(flows, COUNT, (i) => JSON.stringify({ id: `f${i}`, source: { workload: sources[i % 3] }, destination: { service: 'fintech-core/payment-processor', port: 80 }, protocol: 'http', method: 'POST', path: `/api/v1/payments/${i % 97}/capture` }));
    const r = runToFile(['simulate', '-f', DEMO, '--flows', flows, '-o', 'jsonl'], 'flows.out');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const { lines, last } = linesOf(r.out);
    expect(lines).toBe(COUNT + 1);
    expect(JSON.parse(last).summary).toMatchObject({ flows: COUNT });
    rmSync(flows);
    rmSync(r.out);
  }, TIMEOUT);

  it('simulate --generate makes that many flows and reports each', () => {
    const r = runToFile(['simulate', '-f', DEMO, '--generate', String(COUNT), '--seed', '5', '-o', 'jsonl'], 'generated.out');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const { lines, last } = linesOf(r.out);
    expect(lines).toBe(COUNT + 1);
    expect(JSON.parse(last).summary).toMatchObject({ flows: COUNT });
    rmSync(r.out);
  }, TIMEOUT);

  it('check replays a scenario whose capture yields that many flows', () => {
    const scenario = join(dir, 'capture-scenario');
    mkdirSync(scenario);
    udpCapture(join(scenario, 'capture.pcap'), COUNT);
    writeFileSync(join(scenario, 'scenario.yaml'), `name: A capture of ${COUNT} UDP conversations\nmanifests: [${DEMO}]\ntraffic:\n  trace: [capture.pcap]\nexpect:\n  - noPlaintextInto: kube-system\n`);
    const r = runToFile(['check', scenario, '-o', 'json'], 'check.out');
    expect(r.stderr).not.toMatch(/internal error/);
    const report = JSON.parse(readFileSync(r.out, 'utf8'));
    expect(report.scenarios?.[0]?.summary?.flows ?? report.checks?.[0]?.summary?.flows).toBe(COUNT);
    rmSync(scenario, { recursive: true });
  }, TIMEOUT);

  it('validate lists that many diagnostics of one manifest file', async () => {
    // A List whose items are numbers: each item is a not-an-object warning with its line.
    // (JSON: the YAML reader takes 16 MB per file.)
    const manifests = join(dir, 'not-objects.json');
    await writeLines(manifests, COUNT + 2, (i) => (i === 0 ? '{"apiVersion":"v1","kind":"List","items":[' : i === COUNT + 1 ? ']}' : `${i}${i === COUNT ? '' : ','}`));
    const r = runToFile(['validate', '-f', manifests], 'validate.out');
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    const { lines, last } = linesOf(r.out);
    expect(last).toBe(`0 errors, ${COUNT} warnings, 0 notes`);
    expect(lines).toBeGreaterThan(COUNT);
    rmSync(manifests);
  }, TIMEOUT);
});
