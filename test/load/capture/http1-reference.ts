/**
 * The string-level HTTP/1 reader the byte-level one replaced, kept as the oracle it must agree with:
 * it decodes every segment and splits heads with regular expressions.
 */
/** An HTTP/1.x request head read from a connection's client byte stream; header names are lower-case. */
interface Http1Request {
  readonly method: string;
  readonly path: string;
  readonly host?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The request asks to switch protocols (`Upgrade: h2c`, `websocket`): later bytes are not HTTP/1. */
  readonly upgrade?: string;
}

const MAX_HEAD_BYTES = 64 * 1024;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.[01]$/;
const REQUEST_START = /^[\r\n]*[!#$%&'*+.^_`|~0-9A-Za-z-]{0,24}( |$)/;
const latin1 = new TextDecoder('latin1');

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '.');
}

type State = 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'stopped';

/** Index just past the blank line that ends a head (leading blank lines are skipped), or -1. */
function headEnd(text: string, from: number): number {
  let lead = 0;
  while (text.charCodeAt(lead) === 13 || text.charCodeAt(lead) === 10) lead++;
  for (let i = text.indexOf('\n', Math.max(from, lead)); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) return i + 2;
    if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) return i + 3;
  }
  return -1;
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? -1 : i + 1;
}

/**
 * Reads HTTP/1.x requests from a client byte stream fed in order, across segments and on keep-alive
 * connections (RFC 9112: Content-Length and chunked bodies are skipped). Stops, with a reason, at the
 * first thing that is not HTTP/1 or that it cannot follow.
 */
export class ReferenceHttp1RequestStream {
  private state: State = 'head';
  private pending = '';
  private remaining = 0;
  stopReason: string | undefined;
  requests = 0;

  constructor(private readonly onRequest: (request: Http1Request) => void) {}

  get stopped(): boolean {
    return this.state === 'stopped';
  }

  /** Feeds bytes `b[from..to)` of the stream. */
  feed(b: Uint8Array, from: number, to: number): void {
    let p = from;
    while (p < to && this.state !== 'stopped') {
      if (this.state === 'body' || this.state === 'chunk-data') {
        const n = Math.min(this.remaining, to - p);
        p += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = this.state === 'body' ? 'head' : 'chunk-end';
        continue;
      }
      p = this.readLine(b, p, to);
    }
  }

  /** Bytes of the stream that the capture does not have: fine inside a body, fatal elsewhere. */
  gap(bytes: number): void {
    if ((this.state === 'body' || this.state === 'chunk-data') && bytes <= this.remaining) {
      this.remaining -= bytes;
      if (this.remaining === 0) this.state = this.state === 'body' ? 'head' : 'chunk-end';
      return;
    }
    if (this.state === 'head' && this.pending === '' && this.requests > 0 && bytes === 0) return;
    this.stop(`${bytes} bytes of the client stream are missing from the capture`);
  }

  stop(reason: string): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.stopReason = reason;
    this.pending = '';
  }

  /** Reads toward the end of a request head, or of a chunk line; returns the new position. */
  private readLine(b: Uint8Array, from: number, to: number): number {
    const before = this.pending.length;
    const upTo = Math.min(to, from + 4096);
    this.pending += latin1.decode(b.subarray(from, upTo));
    const end = this.state === 'head' ? headEnd(this.pending, Math.max(0, before - 3)) : lineEnd(this.pending, before);
    if (end < 0) {
      if (this.state === 'head' && !REQUEST_START.test(this.pending)) this.stop(`not an HTTP/1 request: "${printable(this.pending.slice(0, 24))}"`);
      else if (this.pending.length > MAX_HEAD_BYTES) this.stop(`a request head or chunk line is longer than ${MAX_HEAD_BYTES} bytes`);
      return upTo;
    }
    const unit = this.pending.slice(0, end);
    this.pending = '';
    this.complete(unit);
    return from + (end - before);
  }

  private complete(unit: string): void {
    switch (this.state) {
      case 'head': return this.head(unit);
      case 'chunk-size': {
        const size = Number.parseInt(unit.split(';')[0]?.trim() ?? '', 16);
        if (!Number.isFinite(size) || size < 0) return this.stop(`bad chunk size line "${unit.trim().slice(0, 40)}"`);
        this.remaining = size;
        this.state = size === 0 ? 'trailers' : 'chunk-data';
        return;
      }
      case 'chunk-end': {
        if (unit.trim() !== '') return this.stop('chunk data is not followed by CRLF');
        this.state = 'chunk-size';
        return;
      }
      case 'trailers': {
        if (unit.trim() === '') this.state = 'head';
        return;
      }
      default: return;
    }
  }

  private head(text: string): void {
    const lines = text.split(/\r?\n/);
    // RFC 9112 section 2.2: a server ignores at least one empty line before the request line.
    while (lines.length > 0 && lines[0] === '') lines.shift();
    if (lines.length === 0) return;
    const m = REQUEST_LINE.exec(lines[0] as string);
    if (!m) return this.stop(`not an HTTP/1 request line: "${printable((lines[0] as string).slice(0, 60))}"`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      if (line === '') continue;
      const colon = line.indexOf(':');
      if (colon <= 0) return this.stop(`malformed header line "${line.slice(0, 60)}"`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    }
    const request = toRequest(m[1] as string, m[2] as string, headers);
    this.requests++;
    this.onRequest(request);
    if (request.upgrade) return this.stop(`the connection switches to ${request.upgrade}`);
    this.startBody(headers);
  }

  private startBody(headers: Record<string, string>): void {
    if (/(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '')) {
      this.state = 'chunk-size';
      return;
    }
    const length = headers['content-length'];
    if (length === undefined) return;
    const n = Number(length.split(',')[0]);
    if (!Number.isInteger(n) || n < 0) return this.stop(`bad Content-Length "${length}"`);
    this.remaining = n;
    if (n > 0) this.state = 'body';
  }
}

function toRequest(method: string, target: string, headers: Record<string, string>): Http1Request {
  let path = target;
  let host = headers.host;
  // Absolute form (a request to a proxy): the path is what follows the authority.
  const absolute = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)(.*)$/.exec(target);
  if (absolute) {
    host = host ?? absolute[1];
    path = absolute[2] || '/';
  }
  const upgrade = headers.upgrade && /(^|,)\s*upgrade\s*(,|$)/i.test(headers.connection ?? '') ? headers.upgrade.toLowerCase() : undefined;
  return { method, path, headers, ...(host !== undefined ? { host } : {}), ...(upgrade ? { upgrade } : {}) };
}
