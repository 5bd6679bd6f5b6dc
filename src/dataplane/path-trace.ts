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
  /** Per checkpoint, the component's dense id among its kind (CompiledMesh numbering), or -1: known by name only. */
  readonly ids: number[] = [];
  tunnels = 0;
  readonly senderKinds: ('ztunnel' | 'waypoint')[] = [];
  readonly senders: string[] = [];
  /** Per tunnel, the sender's dense id among its kind, or -1. */
  readonly senderIds: number[] = [];
  /** Interned identity ids (IdentityTable; 0 for none). */
  readonly identities: number[] = [];
  readonly froms: TunnelEnd[] = [];
  readonly tos: TunnelEnd[] = [];

  reset(): void {
    this.checkpoints = 0;
    this.tunnels = 0;
  }

  /** An enforcement point crossed; `id` is its dense id when the compiled mesh has one (one id per name). */
  checkpoint(kind: CountedKind, name: string, denied: boolean, id = -1): void {
    const i = this.checkpoints++;
    this.kinds[i] = kind;
    this.names[i] = name;
    this.denied[i] = denied;
    this.ids[i] = id;
  }

  /** An HBONE leg sent by a node's ztunnel or a waypoint, with the (interned) identity it presents. */
  tunnel(kind: 'ztunnel' | 'waypoint', sender: string, identity: number, from: TunnelEnd, to: TunnelEnd, senderId = -1): void {
    const i = this.tunnels++;
    this.senderKinds[i] = kind;
    this.senders[i] = sender;
    this.senderIds[i] = senderId;
    this.identities[i] = identity;
    this.froms[i] = from;
    this.tos[i] = to;
  }
}
