import type { Flow } from '../model/flow.js';
import { hexEscape } from './escape-text.js';

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

/** Characters a terminal acts on (escape-text.ts); inside quotes they would still reach it raw. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const QUOTED_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\\']/g;

/**
 * An argument as a shell reads it back: bare when it is plain, in single quotes otherwise, and in
 * dollar-single quotes (POSIX.1-2024, bash, zsh, ksh) with `\xNN` and `\uNNNN` escapes when it holds a
 * control character (`\u` read in a UTF-8 locale), so the printed command shows every character and
 * replays the same value.
 */
function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  if (!CONTROL.test(arg)) return `'${arg.replaceAll("'", `'\\''`)}'`;
  return `$'${arg.replace(QUOTED_CONTROL, (c) => (c === '\\' || c === "'" ? `\\${c}` : shellEscape(c)))}'`;
}

/** `\xNN` for ASCII; `\uNNNN` above, which a shell writes in the locale's encoding (a byte `\x85` would not be UTF-8). */
function shellEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x80 ? hexEscape(c) : `\\u${code.toString(16).padStart(4, '0')}`;
}
