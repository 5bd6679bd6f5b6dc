/** What a capture file held and what became of every packet (the `capture` section of a report). */

/** Where a packet ends up in the capture accounting (total = decoded + nonIp + fragments + truncated + unsupported). */
export type PacketFate = 'decoded' | 'nonIp' | 'fragments' | 'truncated' | 'unsupported';

/** A problem in a capture file, with the byte offset where it was found. */
export interface CaptureProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly code: CaptureProblemCode;
  readonly offset: number;
  readonly message: string;
}

export type CaptureProblemCode =
  | 'capture-unknown-format'
  | 'capture-bad-header'
  | 'capture-unsupported-version'
  | 'capture-truncated'
  | 'capture-bad-length'
  | 'capture-bad-block'
  | 'capture-bad-timestamp'
  | 'capture-unknown-interface'
  | 'capture-empty';

export type CaptureFormat = 'pcap' | 'pcapng';

/** What the reader saw of the file as a whole. */
export interface ReaderStats {
  format?: CaptureFormat;
  /** Bytes consumed, including a partial record at the end. */
  bytes: number;
  packets: number;
  /** pcapng sections (section header blocks). */
  sections: number;
  /** pcapng blocks skipped by type (`0x00000004 name-resolution`, ...). */
  skippedBlocks: Record<string, number>;
  /** Packets whose caplen is smaller than their original length (cut by snaplen). */
  cutBySnaplen: number;
  /** Linktypes seen, with their packet counts. */
  linkTypes: Record<number, number>;
  /** Reading stopped before the end of the file (fatal problem). */
  stopped: boolean;
}

/** Every packet of a capture, accounted for: total = decoded + nonIp + fragments + truncated + unsupported. */
export interface PacketAccounting {
  total: number;
  decoded: number;
  nonIp: number;
  fragments: number;
  truncated: number;
  unsupported: number;
  /** Why packets were not decoded, per fate: `{ nonIp: { ARP: 3 } }`. */
  reasons: { [F in Exclude<PacketFate, 'decoded'>]: Record<string, number> };
}

/** What the decoded packets made: connections, requests, and what could not be followed. */
export interface ConnectionAccounting {
  tcp: number;
  udp: number;
  /** TCP connections whose SYN was not captured: client and server were inferred. */
  withoutSyn: number;
  /** Packets of a TCP connection that none of them opened (stray FIN or RST). */
  strayPackets: number;
  httpRequests: number;
  tls: number;
  http2: number;
  /** TCP connections whose client sent bytes that are neither HTTP/1, HTTP/2 nor TLS. */
  opaque: number;
  /** TCP connections whose client sent nothing the capture holds. */
  silent: number;
  /** Why reading HTTP stopped early on some connections, with counts. */
  l7Stopped: Record<string, number>;
  /** Connections closed by the flow table: idle too long, or table full. */
  evictedIdle: number;
  evictedFull: number;
  flows: number;
}

/** The capture section of a report, for one file. */
export interface CaptureSummary {
  readonly file: string;
  readonly reader: ReaderStats;
  readonly packets: PacketAccounting;
  readonly connections: ConnectionAccounting;
  readonly problems: readonly CaptureProblem[];
  /** Seconds between the first and the last timestamped packet. */
  readonly durationSeconds: number;
}


/** What a flow log held: records read, flows made, and records skipped with the reason. */
export interface FlowLogSummary {
  readonly file: string;
  readonly format: 'hubble' | 'flows';
  readonly records: number;
  readonly flows: number;
  readonly skipped: Readonly<Record<string, number>>;
}

/** How many captured flows had each kind of address at each end. */
export interface AddressCounts {
  pod: number;
  service: number;
  node: number;
  external: number;
}

/** Where the addresses of recorded traffic are in the cluster the manifests describe. */
export interface AddressPlacement {
  readonly sources: AddressCounts;
  readonly destinations: AddressCounts;
  /** Flows addressed to a pod IP and port that a Service forwards to: possibly captured after kube-proxy's DNAT. */
  readonly postDnat: number;
  /** Of those, flows whose destination was put back to the Service (`undoDnat`). */
  readonly undone: number;
}

/** The `capture` section of a report: every capture and flow log replayed, and where their addresses are. */
export interface RecordedTraffic {
  readonly captures: readonly CaptureSummary[];
  readonly flowLogs: readonly FlowLogSummary[];
  readonly addresses: AddressPlacement;
}
