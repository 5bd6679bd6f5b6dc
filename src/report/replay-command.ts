import type { Flow } from '../model/flow.js';

/**
 * The `ambient-bench explain` command that replays one flow against the manifests, quoted for a
 * POSIX shell. `--id` is given because Service traffic picks its endpoint by flow id.
 */
export function replayCommand(flow: Flow, manifests: readonly string[]): string {
  return ['ambient-bench', 'explain', ...replayArguments(flow, manifests)].map(shellQuote).join(' ');
}

/** The arguments of `explain` that describe the flow. */
export function replayArguments(flow: Flow, manifests: readonly string[]): string[] {
  const from = flow.source.workload ?? flow.source.ip;
  const d = flow.destination;
  const ip = d.ip ?? '';
  const target = d.service ?? d.workload ?? (ip.includes(':') ? `[${ip}]` : ip);
  const args = ['-f', ...manifests, '--from', from, '--to', `${target}:${d.port}`];
  if (flow.protocol === 'udp') args.push('--protocol', 'udp');
  if (flow.protocol === 'http') {
    const h = flow.http ?? { method: 'GET', path: '/', headers: {} };
    args.push('--protocol', 'http', '--method', h.method, '--path', h.path);
    if (h.host !== undefined) args.push('--host', h.host);
    for (const [k, v] of Object.entries(h.headers)) args.push('--header', `${k}=${v}`);
  }
  args.push('--id', flow.id);
  return args;
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}
