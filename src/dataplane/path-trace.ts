/** The kinds of component whose counters a flow moves. */
export type CountedKind = 'ztunnel' | 'waypoint' | 'sidecar';

/**
 * One end of an HBONE leg as a pool key: the mesh id of the workload or waypoint (one per object, so
 * one pod named two ways is one end, and a pool lookup hashes nothing), or the name itself when the
 * mesh has no object for it.
 */
export type TunnelEnd = number | string;

/**
 * What a decided flow crossed, for the simulator's counters: enforcement points in path order and
 * the HBONE tunnels it used. One trace is reused for every flow (slots are overwritten), so filling it
 * allocates nothing.
 */
export class PathTrace {
  checkpoints = 0;
  readonly kinds: CountedKind[] = [];
  readonly names: string[] = [];
  readonly denied: boolean[] = [];
  tunnels = 0;
  readonly senderKinds: ('ztunnel' | 'waypoint')[] = [];
  readonly senders: string[] = [];
  /** Interned identity ids (IdentityTable; 0 for none). */
  readonly identities: number[] = [];
  readonly froms: TunnelEnd[] = [];
  readonly tos: TunnelEnd[] = [];

  reset(): void {
    this.checkpoints = 0;
    this.tunnels = 0;
  }

  checkpoint(kind: CountedKind, name: string, denied: boolean): void {
    const i = this.checkpoints++;
    this.kinds[i] = kind;
    this.names[i] = name;
    this.denied[i] = denied;
  }

  /** An HBONE leg sent by a node's ztunnel or a waypoint, with the (interned) identity it presents. */
  tunnel(kind: 'ztunnel' | 'waypoint', sender: string, identity: number, from: TunnelEnd, to: TunnelEnd): void {
    const i = this.tunnels++;
    this.senderKinds[i] = kind;
    this.senders[i] = sender;
    this.identities[i] = identity;
    this.froms[i] = from;
    this.tos[i] = to;
  }
}
