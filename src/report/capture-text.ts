import type { AddressCounts, CaptureSummary, FlowLogSummary, PacketAccounting, RecordedTraffic } from '../model/capture.js';
import { appendLines } from './append-lines.js';
import { escapeText } from './escape-text.js';
import type { Style } from './style.js';

const LINK_NAMES: Record<string, string> = {
  '-1': 'no interface', 0: 'BSD loopback', 1: 'Ethernet', 12: 'raw IP', 14: 'raw IP', 101: 'raw IP', 108: 'OpenBSD loopback',
  113: 'Linux cooked', 228: 'raw IPv4', 229: 'raw IPv6', 276: 'Linux cooked v2',
};

function reasons(r: Record<string, number>): string {
  const parts = Object.entries(r).sort((a, b) => b[1] - a[1]).map(([why, n]) => `${escapeText(why)} ${n}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

function bytes(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} kB` : `${n} bytes`;
}

/** `total = decoded + non-IP + fragments + truncated + unsupported`, each with its reasons. */
export function packetLine(p: PacketAccounting): string {
  return `${p.total} = ${p.decoded} decoded + ${p.nonIp} non-IP${reasons(p.reasons.nonIp)} + ${p.fragments} fragments${reasons(p.reasons.fragments)}`
    + ` + ${p.truncated} truncated${reasons(p.reasons.truncated)} + ${p.unsupported} unsupported${reasons(p.reasons.unsupported)}`;
}

function captureLines(c: CaptureSummary, style: Style): string[] {
  const links = Object.entries(c.reader.linkTypes).map(([t, n]) => `${LINK_NAMES[t] ?? `link type ${t}`} ${n}`).join(', ');
  const k = c.connections;
  const lines = [
    `${style.bold(escapeText(c.file))}: ${c.reader.format ?? 'unreadable'}${c.reader.sections > 1 ? ` (${c.reader.sections} sections)` : ''}, ${bytes(c.reader.bytes)}, ${c.durationSeconds.toFixed(3)} s${links ? `, ${links}` : ''}`,
    `    packets      ${packetLine(c.packets)}`,
    `    connections  ${k.tcp} TCP (${k.withoutSyn} without SYN), ${k.udp} UDP; ${k.flows} flows: ${k.httpRequests} HTTP/1 requests, ${k.tls} TLS, ${k.http2} HTTP/2, ${k.opaque} other TCP, ${k.silent} without client data`,
  ];
  if (c.reader.cutBySnaplen > 0) lines.push(`    snaplen      ${c.reader.cutBySnaplen} packets cut by the snapshot length`);
  const skipped = Object.entries(c.reader.skippedBlocks);
  if (skipped.length > 0) lines.push(`    blocks       skipped ${skipped.map(([t, n]) => `${escapeText(t)} ${n}`).join(', ')}`);
  if (k.strayPackets > 0) lines.push(style.dim(`    stray        ${k.strayPackets} TCP packets of no open connection (after close, or a lone FIN/RST/ACK)`));
  if (k.evictedIdle + k.evictedFull > 0) lines.push(`    flow table   closed ${k.evictedIdle} idle and ${k.evictedFull} (table full) connections early`);
  const stopped = Object.entries(k.l7Stopped);
  if (stopped.length > 0) lines.push(style.yellow(`    HTTP stopped ${stopped.map(([why, n]) => `${escapeText(why)} (${n})`).join('; ')}`));
  for (const p of c.problems) lines.push((p.severity === 'error' ? style.red : style.yellow)(`    ${p.severity} at byte ${p.offset}: ${escapeText(p.message)}`));
  return lines;
}

function flowLogLines(f: FlowLogSummary, style: Style): string[] {
  return [`${style.bold(escapeText(f.file))}: ${f.format === 'hubble' ? 'Hubble export' : 'flows (JSONL)'}, ${f.records} records, ${f.flows} flows${Object.keys(f.skipped).length > 0 ? `; skipped${reasons(f.skipped)}` : ''}`];
}

function counts(c: AddressCounts): string {
  return `${c.pod} pod, ${c.service} Service, ${c.node} node, ${c.external} external`;
}

/** The `Capture` section of the text report: every packet and record accounted for, and where the addresses are. */
export function renderRecordedTraffic(t: RecordedTraffic, style: Style): string[] {
  const out = [style.bold('Capture')];
  for (const c of t.captures) appendLines(out, captureLines(c, style), '  ');
  for (const f of t.flowLogs) appendLines(out, flowLogLines(f, style), '  ');
  const a = t.addresses;
  out.push(`  addresses    sources: ${counts(a.sources)}; destinations: ${counts(a.destinations)}`);
  if (a.postDnat > 0) {
    out.push(style.yellow(a.undone > 0
      ? `  DNAT         ${a.undone} flows to a pod behind a Service were put back to the Service (--undo-dnat)`
      : `  DNAT         ${a.postDnat} flows went to a pod port behind a Service: a capture taken after kube-proxy's DNAT shows the pod, not the Service; they are replayed as pod-IP traffic (bypassing service waypoints); --undo-dnat replays them as Service traffic`));
  }
  return out;
}
