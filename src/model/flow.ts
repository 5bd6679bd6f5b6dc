import type { SourceRef } from './source.js';

/** Who opened a flow: a workload (`ns/pod` or `ns/controller`) or a bare IP. */
export type FlowSource =
  | { readonly workload: string; readonly ip?: undefined }
  | { readonly ip: string; readonly workload?: undefined };

/** Where a flow was addressed: a Service port, a workload's container port, or an IP and port. */
export type FlowDestination =
  | { readonly service: string; readonly port: number; readonly workload?: undefined; readonly ip?: undefined }
  | { readonly workload: string; readonly port: number; readonly service?: undefined; readonly ip?: undefined }
  | { readonly ip: string; readonly port: number; readonly service?: undefined; readonly workload?: undefined };

export type Transport = 'tcp' | 'http' | 'udp';

/** An HTTP request carried by a flow; header names are lower-case. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly host?: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A request's JWT: issuer, subject and claims; `invalid` marks a token that fails validation (signature, expiry). */
export interface FlowJwt {
  readonly iss: string;
  readonly sub: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly invalid?: boolean;
}

/** Where a flow came from: a line of a flows file, or a connection in a capture. */
export interface FlowOrigin {
  readonly kind: 'flows-file' | 'capture' | 'flow-log' | 'generated' | 'cli';
  readonly source?: SourceRef;
  /** Capture: index of the packet that opened the connection (0-based). */
  readonly packet?: number;
  /** Free text explaining how the flow was inferred (e.g. client/server guessed without SYN). */
  readonly note?: string;
}

/**
 * What an application tried to do. Traces record intents at the application side; the simulator
 * decides the path.
 */
export interface Flow {
  readonly id: string;
  readonly source: FlowSource;
  readonly destination: FlowDestination;
  readonly protocol: Transport;
  /** Present when `protocol` is `http`. */
  readonly http?: HttpRequest;
  /** Seconds from the start of the timeline. */
  readonly time: number;
  /** Seconds the connection stays open after `time` (a timeline keeps it open and re-checks it); absent: closes at once. */
  readonly duration?: number;
  /** The application itself encrypted the stream (TLS ClientHello seen), with its SNI if any. */
  readonly appTls?: { readonly sni?: string };
  /** Set when L7 attributes exist but are unknown (TLS, cleartext HTTP/2): L7 rules are undecidable. */
  readonly l7Unknown?: 'tls' | 'http2';
  /** A JWT the request carries, as claims (not verified); a bearer token in `authorization` is read too. */
  readonly jwt?: FlowJwt;
  readonly origin?: FlowOrigin;
}
