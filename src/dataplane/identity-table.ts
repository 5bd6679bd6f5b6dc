import { identityPartsOf, type IdentityParts } from './authz/ztunnel-rbac.js';

/** Id of "no identity": a plaintext peer. */
export const NO_IDENTITY_ID = 0;

/**
 * Every identity a peer can present in the mesh (workloads and waypoints), interned to dense integer
 * ids so that compiled policy tables can index by them. Id 0 is the plaintext peer.
 */
export class IdentityTable {
  private readonly ids = new Map<string, number>();
  private readonly parts: IdentityParts[] = [identityPartsOf(null)];
  private readonly names: (string | null)[] = [null];

  /** The id of a SPIFFE ID, interning it the first time it is seen. */
  intern(identity: string | null): number {
    if (identity === null) return NO_IDENTITY_ID;
    let id = this.ids.get(identity);
    if (id === undefined) {
      id = this.parts.length;
      this.ids.set(identity, id);
      this.parts.push(identityPartsOf(identity));
      this.names.push(identity);
    }
    return id;
  }

  /** Principal, namespace and service account of an id. */
  partsOf(id: number): IdentityParts {
    return this.parts[id] as IdentityParts;
  }

  /** The SPIFFE ID of an id (null: the plaintext peer). */
  nameOf(id: number): string | null {
    return this.names[id] ?? null;
  }

  get size(): number {
    return this.parts.length;
  }
}
