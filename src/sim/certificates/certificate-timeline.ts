import { DEFAULT_CERTIFICATE_SETTINGS, type CertificateSettings } from './certificate-settings.js';
import { mergeWindows, windowAt, type TimeWindow } from './istiod-windows.js';
import { ZTUNNEL_RENEWAL, type RenewalProfile } from './renewal-profile.js';

/** One certificate a component received and held. Times in simulated seconds. */
export interface IssuedCertificate {
  readonly issuedAt: number;
  /** X.509 NotBefore: issuance minus istiod's clock-skew grace. */
  readonly notBefore: number;
  /** X.509 NotAfter: issuance plus the TTL. ztunnel uses a certificate while `now < not_after`. */
  readonly notAfter: number;
  /** When the holder first tries to renew it. */
  readonly renewAt: number;
  /** When the holder stopped holding it: replaced, or lost on a restart; Infinity if still held. */
  readonly heldUntil: number;
  readonly endedBy: 'renewed' | 'restart' | 'horizon';
}

/** A request to istiod's CA. `why` explains a failure. */
export interface RenewalAttempt {
  readonly at: number;
  readonly ok: boolean;
  readonly why?: 'istiod-unreachable' | 'ttl-over-max';
}

/** Every certificate and CA request of one holder (a ztunnel for one identity, or one proxy). */
export interface CertificateTimeline {
  readonly profile: RenewalProfile['kind'];
  readonly settings: CertificateSettings;
  readonly certificates: readonly IssuedCertificate[];
  readonly attempts: readonly RenewalAttempt[];
  /** When the holder was down and lost its in-memory certificates (ztunnel keeps them in memory). */
  readonly restarts: readonly TimeWindow[];
}

export interface CertificateTimelineInput {
  /** When the holder first asks (the workload appears on the node, or the proxy starts). */
  readonly requestedAt: number;
  /** The simulation ends here; no attempt at or after it is computed. */
  readonly horizon: number;
  /** When istiod cannot be reached (timeline `istiodUnreachable`). */
  readonly unreachable?: readonly TimeWindow[];
  /**
   * Holder restarts (timeline `ztunnelRestart`: down from `from` until `until`): the certificates are
   * lost when it goes down; when it is back it asks again at once, with a fresh backoff.
   */
  readonly restarts?: readonly TimeWindow[];
  readonly settings?: Partial<CertificateSettings>;
  readonly profile?: RenewalProfile;
}

interface Holding {
  readonly cert: Omit<IssuedCertificate, 'heldUntil' | 'endedBy'>;
}

/** The replay's running state: the certificate held, failures in a row, and what was recorded. */
interface Replay {
  held: Holding | null;
  failures: number;
  readonly certificates: IssuedCertificate[];
  readonly attempts: RenewalAttempt[];
}

interface Rules {
  readonly settings: CertificateSettings;
  readonly profile: RenewalProfile;
  readonly outages: readonly TimeWindow[];
}

/**
 * Replays one holder's certificate requests from `requestedAt` to `horizon`: issue when istiod is
 * reachable, renew per the profile, retry per its backoff while istiod is not, lose everything on a
 * restart. Pure and deterministic; throws only on a non-positive TTL (a programmer error).
 */
export function certificateTimeline(input: CertificateTimelineInput): CertificateTimeline {
  const settings = { ...DEFAULT_CERTIFICATE_SETTINGS, ...input.settings };
  if (!(settings.ttl > 0)) throw new RangeError(`certificate ttl must be positive, got ${settings.ttl}`);
  const rules: Rules = { settings, profile: input.profile ?? ZTUNNEL_RENEWAL, outages: mergeWindows(input.unreachable ?? []) };
  const restarts = [...(input.restarts ?? [])].filter((w) => w.from > input.requestedAt && w.from < input.horizon).sort((a, b) => a.from - b.from);
  const state: Replay = { held: null, failures: 0, certificates: [], attempts: [] };
  let next = input.requestedAt;
  let r = 0;
  while (true) {
    const restart = restarts[r];
    if (restart !== undefined && restart.from <= next) {
      release(state, restart.from, 'restart');
      state.failures = 0;
      next = Math.max(restart.until, restart.from);
      r++;
      continue;
    }
    if (next >= input.horizon) break;
    next = attempt(state, next, rules);
  }
  release(state, Infinity, 'horizon');
  return { profile: rules.profile.kind, settings, certificates: state.certificates, attempts: state.attempts, restarts };
}

/** One request to the CA at `at`; returns when the next one goes out (Infinity: none). */
function attempt(state: Replay, at: number, { settings, profile, outages }: Rules): number {
  if (settings.ttl > settings.maxTtl) {
    state.attempts.push({ at, ok: false, why: 'ttl-over-max' });
    return retryAt(profile, ++state.failures, at, null, state.held);
  }
  const outage = windowAt(outages, at);
  if (outage === undefined) {
    state.attempts.push({ at, ok: true });
    release(state, at, 'renewed');
    state.held = { cert: issue(at, settings, profile) };
    state.failures = 0;
    return state.held.cert.renewAt;
  }
  state.attempts.push({ at, ok: false, why: 'istiod-unreachable' });
  return retryAt(profile, ++state.failures, at, outage, state.held);
}

function release(state: Replay, at: number, endedBy: IssuedCertificate['endedBy']): void {
  if (state.held !== null) state.certificates.push({ ...state.held.cert, heldUntil: at, endedBy });
  state.held = null;
}

function issue(at: number, s: CertificateSettings, profile: RenewalProfile): Holding['cert'] {
  return { issuedAt: at, notBefore: at - s.clockSkewGrace, notAfter: at + s.ttl, renewAt: at + profile.renewAfter(s.ttl, s.clockSkewGrace) };
}

/**
 * When the next request goes out after the `failures`-th failure in a row at `at`. ztunnel: the
 * backoff delay, brought forward to the held certificate's expiry while it is still valid
 * (manager.rs: `min(refresh_at, cert_expiry_instant)`). istio-agent: the end of the outage.
 */
function retryAt(profile: RenewalProfile, failures: number, at: number, outage: TimeWindow | null, held: Holding | null): number {
  if (profile.retryDelay === null) return outage === null ? Infinity : outage.until;
  const delayed = at + profile.retryDelay(failures);
  const expiry = held !== null && at < held.cert.notAfter ? held.cert.notAfter : Infinity;
  return Math.min(delayed, expiry);
}
