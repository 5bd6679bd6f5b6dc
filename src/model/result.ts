import type { ReasonCode, StepEffect } from './reason.js';
import type { Diagnostic } from './diagnostic.js';
import type { RecordedTraffic } from './capture.js';
import type { Decision } from './decision.js';

/** Why an open connection ended before its `duration` ran out (timeline runs). */
export type CloseReason = 'closed-by-policy-update' | 'waypoint-unavailable' | 'ztunnel-restarting';

export type { DecidedBy, DecidingComponent, Verdict } from './decision.js';

/** `mtls`: Istio mutual TLS between sidecars (auto-mTLS), not tunnelled. */
export type HopTransport = 'hbone' | 'mtls' | 'plaintext';

/** One leg of the data path, with the identity the receiver authenticates (null for plaintext). */
export interface Hop {
  readonly from: string;
  readonly to: string;
  readonly transport: HopTransport;
  readonly peerIdentity: string | null;
}

/** Which field of which rule stopped an ALLOW policy from matching, with the value it compared. */
export interface NearMiss {
  readonly rule: number;
  /** Dotted field, e.g. `from.source.principals`, `to.operation.paths`, `when[request.headers[x]]`. */
  readonly field: string;
  readonly expected: readonly string[];
  readonly actual: string | null;
}

/** One established fact, in path order. The verdict is derived from the steps. */
export interface Step {
  /** The component, e.g. `waypoint payments/waypoint`, `destination-ztunnel node-1`. */
  readonly at: string;
  readonly code: ReasonCode;
  readonly effect: StepEffect;
  readonly policy?: string;
  readonly rule?: number;
  readonly nearMiss?: NearMiss;
  /** Extra facts for explanations (names, values); never parsed by callers. */
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

/** The outcome for one flow, exactly as the JSON contract writes it: its decision with the evidence. */
export interface FlowResult extends Decision {
  readonly id: string;
  readonly source: string;
  readonly destination: string;
  readonly hops: readonly Hop[];
  readonly steps: readonly Step[];
  /** The application encrypted the stream itself (a TLS ClientHello was seen); kept apart from mesh encryption. */
  readonly appTls?: { readonly sni?: string };
  /** Where a recorded flow came from (capture packet or flow-log line) and how it was inferred. */
  readonly origin?: ResultOrigin;
  /** Timeline runs only: the flow's opening time (seconds on the traffic's clock). */
  readonly time?: number;
  /** Timeline runs only: the phase in force when the flow opened. */
  readonly phase?: string;
  /** Timeline runs only: when a connection allowed at its start was closed before its duration ran out. */
  readonly closedAt?: number;
  /** Why it was closed then. */
  readonly closedReason?: CloseReason;
}

/** The recorded origin of a flow, for flows replayed from captures and flow logs. */
export interface ResultOrigin {
  readonly kind: 'capture' | 'flow-log';
  readonly file?: string;
  /** Capture: index (0-based) of the packet that opened the connection. */
  readonly packet?: number;
  /** Flow log: line of the record. */
  readonly line?: number;
  readonly note?: string;
}

/** Per-component counters of a simulation run. */
export interface ComponentCounters {
  readonly component: string;
  readonly kind: 'ztunnel' | 'waypoint' | 'sidecar';
  readonly connections: number;
  readonly requests: number;
  readonly denials: number;
  readonly tunnelsOpened: number;
  readonly bytes: number;
}

export interface Summary {
  readonly flows: number;
  readonly allowed: number;
  readonly denied: number;
  readonly unencrypted: number;
  /** Per-component counters of the simulation (ztunnels, waypoints and destination sidecars). */
  readonly components?: readonly ComponentCounters[];
}

/** What `simulate` returns: results in flow order, diagnostics, and the summary with component counters. */
export interface SimulationReport {
  readonly schemaVersion: 1;
  readonly results: readonly FlowResult[];
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: Summary;
  /** Present when traffic came from captures or flow logs: what they held and where their addresses are. */
  readonly capture?: RecordedTraffic;
}
