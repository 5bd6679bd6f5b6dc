import { applyWhatIf } from '../../analysis/what-if/apply-what-if.js';
import { indexReportedMesh } from '../../analysis/validate/ztunnel-status.js';
import { compileRateLimits } from '../../istiod/envoy-filter-rate-limits.js';
import type { Cluster } from '../../model/cluster.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { ProxyRateLimit } from '../../model/rate-limit.js';
import type { WhatIfStep } from '../../model/scenario.js';
import { Simulator } from '../simulator.js';

/** One configuration istiod computed: the cluster after the steps so far; resolved and compiled when first used. */
interface Version {
  /** Dropped (with its simulator) once no component can enforce this version again. */
  cluster?: Cluster;
  /** The time the step that made it was applied (0 for the starting configuration). */
  readonly at: number;
  simulator?: Simulator;
  /** The local rate limits its EnvoyFilters put on proxies, compiled on first use. */
  rateLimits?: readonly ProxyRateLimit[];
}

/**
 * The simulated istiod: every configuration step makes a new version of the cluster (the what-if
 * application of `applyWhatIf`, one step at a time), and each version is resolved into a Mesh and
 * compiled for the verdict path once, the first time a component decides a flow under it. Versions
 * that no flow is decided under (several steps at one instant) are never compiled.
 */
export class IstiodVersions {
  private readonly versions: Version[];
  readonly diagnostics: Diagnostic[] = [];
  readonly notes: string[] = [];
  /** Versions below this one are released. */
  private released = 0;

  constructor(cluster: Cluster) {
    this.versions = [{ cluster, at: 0 }];
  }

  /** The newest version's number. */
  get latest(): number {
    return this.versions.length - 1;
  }

  /** Applies a step to the newest version at `at`; returns the new version's number. */
  apply(step: WhatIfStep, at: number): number {
    const outcome = applyWhatIf(this.cluster(this.latest), [step]);
    for (const d of outcome.diagnostics) this.diagnostics.push(d);
    for (const n of outcome.notes) this.notes.push(`${at} s: ${n}`);
    this.versions.push({ cluster: outcome.cluster, at });
    return this.latest;
  }

  cluster(version: number): Cluster {
    const cluster = this.versions[version]?.cluster;
    if (!cluster) throw new Error(`version ${version} was released`);
    return cluster;
  }

  /**
   * Forgets the versions below `version` (never the newest): once every component has received it,
   * none enforces an older one again, so their clusters and compiled meshes need not be kept.
   */
  release(version: number): void {
    for (let v = this.released; v < Math.min(version, this.latest); v++) {
      const old = this.versions[v] as Version;
      delete old.cluster;
      delete old.simulator;
      delete old.rateLimits;
    }
    this.released = Math.max(this.released, Math.min(version, this.latest));
  }

  /** The simulator deciding flows under `version`, built (resolved, validated, compiled) on first use. */
  simulator(version: number): Simulator {
    const v = this.versions[version] as Version;
    if (!v.simulator) {
      const index = indexReportedMesh(this.cluster(version));
      for (const d of index.mesh.diagnostics) this.diagnostics.push(d);
      v.simulator = new Simulator(index, { counters: false });
      const cluster = this.cluster(version);
      v.rateLimits = (cluster.envoyFilters ?? []).length === 0 ? [] : compileRateLimits(cluster, index.mesh).limits;
    }
    return v.simulator;
  }

  /**
   * The local rate limits of `version` (istiod/envoy-filter-rate-limits.ts decides which proxies take
   * them); empty, at no cost, for a cluster without EnvoyFilters. Their diagnostics are validate's.
   */
  rateLimits(version: number): readonly ProxyRateLimit[] {
    this.simulator(version);
    return (this.versions[version] as Version).rateLimits ?? [];
  }
}
