/** The kinds of component whose counters a flow moves. */
export type CountedKind = 'ztunnel' | 'waypoint' | 'sidecar';

/**
 * One end of an HBONE leg as a pool key: the workload or waypoint object the mesh holds (one per
 * name, so a pool lookup hashes no string), or the name itself when the mesh has no object for it.
 */
export type TunnelEnd = object | string;

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
  readonly identities: (string | null)[] = [];
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

  /** An HBONE leg sent by a node's ztunnel or a waypoint, with the identity it presents. */
  tunnel(kind: 'ztunnel' | 'waypoint', sender: string, identity: string | null, from: TunnelEnd, to: TunnelEnd): void {
    const i = this.tunnels++;
    this.senderKinds[i] = kind;
    this.senders[i] = sender;
    this.identities[i] = identity;
    this.froms[i] = from;
    this.tos[i] = to;
  }
}
