import { Http1LineCache } from './http1-line-cache.js';
import { blank, contentEnd, headEnd, headerName, lineEnd, lineFeedAt, mayStartRequest, SP, takeRecordedLines, trimmedText } from './http1-scan.js';
import { isToken, isWhitespace, latin1Text, printable } from './latin1.js';

/** An HTTP/1.x request head read from a connection's client byte stream; header names are lower-case. */
export interface Http1Request {
  readonly method: string;
  readonly path: string;
  readonly host?: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The request asks to switch protocols (`Upgrade: h2c`, `websocket`): later bytes are not HTTP/1. */
  readonly upgrade?: string;
}

/** A head or chunk line longer than this stops the reader: it is the most one stream ever buffers. */
export const MAX_HEAD_BYTES = 64 * 1024;
/** Bytes looked at per step while a head or line is searched for its end. */
const STEP_BYTES = 4096;

type State = 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'stopped';

/** Request lines (method, target) and header lines (name, value) already parsed, shared by every stream. */
const requestLines = new Http1LineCache();
const headerLines = new Http1LineCache();
/** Headers whose value is new on every request (trace and request ids, lengths): not worth a cache slot. */
const UNIQUE_PER_REQUEST = new Set(['x-request-id', 'traceparent', 'tracestate', 'x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid',
  'x-amzn-trace-id', 'x-cloud-trace-context', 'content-length', 'date']);

/**
 * Reads HTTP/1.x requests from a client byte stream fed in order, across segments and on keep-alive
 * connections (RFC 9112: Content-Length and chunked bodies are skipped). Stops, with a reason, at the
 * first thing that is not HTTP/1 or that it cannot follow. Heads are parsed from the bytes where they
 * lie; only a head or line that straddles segments is gathered, and never more than
 * {@link MAX_HEAD_BYTES} (plus one step) of it.
 */
export class Http1RequestStream {
  private state: State = 'head';
  private pending: Uint8Array | undefined;
  private pendingLength = 0;
  private remaining = 0;
  stopReason: string | undefined;
  requests = 0;

  constructor(private readonly onRequest: (request: Http1Request) => void) {}

  get stopped(): boolean {
    return this.state === 'stopped';
  }

  /** Bytes gathered for a head or chunk line that straddles segments. */
  get bufferedBytes(): number {
    return this.pending?.length ?? 0;
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
    if (this.state === 'head' && this.pendingLength === 0 && this.requests > 0 && bytes === 0) return;
    this.stop(`${bytes} bytes of the client stream are missing from the capture`);
  }

  stop(reason: string): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.stopReason = reason;
    this.release();
  }

  /** Reads toward the end of a request head, or of a chunk line; returns the new position. */
  private readLine(b: Uint8Array, from: number, to: number): number {
    const before = this.pendingLength;
    const upTo = Math.min(to, from + STEP_BYTES);
    const head = this.state === 'head';
    if (before === 0) {
      const end = head ? headEnd(b, from, upTo, 0) : lineEnd(b, from, upTo, 0);
      if (end >= 0) {
        this.complete(b, from, from + end);
        return from + end;
      }
    }
    const buf = this.gather(b, from, upTo);
    const length = this.pendingLength;
    const end = head ? headEnd(buf, 0, length, Math.max(0, before - 3)) : lineEnd(buf, 0, length, before);
    if (end < 0) {
      if (head && !mayStartRequest(buf, 0, length)) this.stop(`not an HTTP/1 request: "${printable(latin1Text(buf, 0, Math.min(length, 24)))}"`);
      else if (length > MAX_HEAD_BYTES) this.stop(`a request head or chunk line is longer than ${MAX_HEAD_BYTES} bytes`);
      return upTo;
    }
    this.pendingLength = 0;
    this.complete(buf, 0, end);
    if (this.pendingLength === 0) this.release();
    return from + (end - before);
  }

  /** Appends `b[from..to)` to the gathered bytes; returns the buffer holding them. */
  private gather(b: Uint8Array, from: number, to: number): Uint8Array {
    const need = this.pendingLength + (to - from);
    let buf = this.pending;
    if (!buf || buf.length < need) {
      const grown = new Uint8Array(Math.max(need, Math.min(2 * (buf?.length ?? 0), MAX_HEAD_BYTES + STEP_BYTES), 512));
      if (buf) grown.set(buf.subarray(0, this.pendingLength), 0);
      buf = grown;
      this.pending = buf;
    }
    buf.set(b.subarray(from, to), this.pendingLength);
    this.pendingLength = need;
    return buf;
  }

  private release(): void {
    this.pending = undefined;
    this.pendingLength = 0;
  }

  private complete(b: Uint8Array, s: number, e: number): void {
    switch (this.state) {
      case 'head': return this.head(b, s, e);
      case 'chunk-size': {
        const unit = latin1Text(b, s, e);
        const size = Number.parseInt(unit.split(';')[0]?.trim() ?? '', 16);
        if (!Number.isFinite(size) || size < 0) return this.stop(`bad chunk size line "${unit.trim().slice(0, 40)}"`);
        this.remaining = size;
        this.state = size === 0 ? 'trailers' : 'chunk-data';
        return;
      }
      case 'chunk-end': {
        if (!blank(b, s, e)) return this.stop('chunk data is not followed by CRLF');
        this.state = 'chunk-size';
        return;
      }
      case 'trailers': {
        if (blank(b, s, e)) this.state = 'head';
        return;
      }
      default: return;
    }
  }

  /** A whole head `b[s..e)` (it ends with a line feed): its lines split at LF, each less one trailing CR. */
  private head(b: Uint8Array, s: number, e: number): void {
    const lines = takeRecordedLines(b, s);
    const recorded = lines > 0;
    let p = s;
    let k = 0;
    let lineStop = 0;
    // RFC 9112 section 2.2: a server ignores at least one empty line before the request line.
    for (; p < e; p = lineStop + 1) {
      lineStop = recorded ? lineFeedAt(k++) : lineEnd(b, p, e, 0) + p - 1;
      if (contentEnd(b, p, lineStop) > p) break;
    }
    if (p >= e) return;
    const requestLine = contentEnd(b, p, lineStop);
    if (!this.requestLine(b, p, requestLine)) return this.stop(`not an HTTP/1 request line: "${printable(latin1Text(b, p, Math.min(requestLine, p + 60)))}"`);
    const method = requestLines.first;
    const target = requestLines.second;
    const headers: Record<string, string> = {};
    for (p = lineStop + 1; p < e; p = lineStop + 1) {
      lineStop = recorded && k < lines ? lineFeedAt(k++) : lineEnd(b, p, e, 0) + p - 1;
      const end = contentEnd(b, p, lineStop);
      if (end === p) continue;
      if (!headerLines.find(b, p, end) && !this.headerLine(b, p, end)) return;
      const name = headerLines.first;
      const value = headerLines.second;
      const seen = headers[name];
      headers[name] = seen === undefined ? value : `${seen},${value}`;
    }
    const request = toRequest(method, target, headers);
    this.requests++;
    this.onRequest(request);
    if (request.upgrade) return this.stop(`the connection switches to ${request.upgrade}`);
    this.startBody(headers);
  }

  /** Parses `name: value`, remembering it in the line cache; stops the stream on a malformed line. */
  private headerLine(b: Uint8Array, s: number, e: number): boolean {
    let colon = s;
    while (colon < e && b[colon] !== 58) colon++;
    if (colon === s || colon === e) {
      this.stop(`malformed header line "${latin1Text(b, s, Math.min(e, s + 60))}"`);
      return false;
    }
    const name = headerName(b, s, colon);
    const value = trimmedText(b, colon + 1, e);
    if (!UNIQUE_PER_REQUEST.has(name)) headerLines.keep(b, s, e, name, value);
    headerLines.first = name;
    headerLines.second = value;
    return true;
  }

  /**
   * `method SP target SP HTTP/1.0|1` exactly, the method a token and the target without whitespace;
   * when it is one, its method and target are left in the request-line cache's `first` and `second`.
   */
  private requestLine(b: Uint8Array, s: number, e: number): boolean {
    if (requestLines.find(b, s, e)) return true;
    let p = s;
    while (p < e && isToken(b[p] as number)) p++;
    if (p === s || b[p] !== SP) return false;
    const methodEnd = p++;
    const targetStart = p;
    while (p < e && !isWhitespace(b[p] as number)) p++;
    if (p === targetStart || e - p !== 9 || b[p] !== SP) return false;
    if (b[p + 1] !== 72 || b[p + 2] !== 84 || b[p + 3] !== 84 || b[p + 4] !== 80 || b[p + 5] !== 47 || b[p + 6] !== 49 || b[p + 7] !== 46 || (b[p + 8] !== 48 && b[p + 8] !== 49)) return false;
    const method = latin1Text(b, s, methodEnd);
    const target = latin1Text(b, targetStart, p);
    requestLines.keep(b, s, e, method, target);
    requestLines.first = method;
    requestLines.second = target;
    return true;
  }

  private startBody(headers: Record<string, string>): void {
    const te = headers['transfer-encoding'];
    if (te !== undefined && /(^|,)\s*chunked\s*$/i.test(te)) {
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
  const absolute = target.charCodeAt(0) === 47 ? null : /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)(.*)$/.exec(target);
  if (absolute) {
    host = host ?? absolute[1];
    path = absolute[2] || '/';
  }
  const upgrade = headers.upgrade && /(^|,)\s*upgrade\s*(,|$)/i.test(headers.connection ?? '') ? headers.upgrade.toLowerCase() : undefined;
  if (upgrade) return host !== undefined ? { method, path, headers, host, upgrade } : { method, path, headers, upgrade };
  return host !== undefined ? { method, path, headers, host } : { method, path, headers };
}
