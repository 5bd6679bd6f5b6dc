import type { CertificateTimeline, IssuedCertificate, RenewalAttempt } from './certificate-timeline.js';

/**
 * Whether the holder has a usable workload certificate at `t`, with the evidence for an explanation.
 * Without one, HBONE to and from the workloads of that identity fails: ztunnel needs the source
 * workload's certificate to open a tunnel (istio/ztunnel:src/proxy/pool.rs, `fetch_certificate` before
 * connecting) and the destination workload's to accept one (src/proxy/inbound.rs `fetch_cert`); an
 * expired certificate is never handed out (src/identity/manager.rs `get_existing_cert_info`:
 * `now < not_after`).
 */
export type CertificateStatus =
  | {
    readonly valid: true;
    readonly certificate: IssuedCertificate;
    readonly lastAttempt: RenewalAttempt | null;
    readonly nextAttempt: number | null;
  }
  | {
    readonly valid: false;
    /** never-issued: no request has succeeded yet; expired: past NotAfter; lost-on-restart: cleared by a restart. */
    readonly why: 'never-issued' | 'expired' | 'lost-on-restart';
    /** The last certificate held before `t`, if any. */
    readonly certificate: IssuedCertificate | null;
    readonly lastAttempt: RenewalAttempt | null;
    readonly nextAttempt: number | null;
  };

/** The certificate state at `t` (seconds), found by binary search; O(log n) in certificates and attempts. */
export function certificateValidAt(timeline: CertificateTimeline, t: number): CertificateStatus {
  const i = lastIndexAtOrBefore(timeline.certificates, t, (c) => c.issuedAt);
  const a = lastIndexAtOrBefore(timeline.attempts, t, (x) => x.at);
  const lastAttempt = at(timeline.attempts, a) ?? null;
  const nextAttempt = at(timeline.attempts, a + 1)?.at ?? null;
  const certificate = at(timeline.certificates, i);
  if (certificate === undefined) return { valid: false, why: 'never-issued', certificate: null, lastAttempt, nextAttempt };
  if (t < certificate.heldUntil && t < certificate.notAfter) return { valid: true, certificate, lastAttempt, nextAttempt };
  const why = t >= certificate.heldUntil && certificate.endedBy === 'restart' ? 'lost-on-restart' : 'expired';
  return { valid: false, why, certificate, lastAttempt, nextAttempt };
}

function at<T>(list: readonly T[], i: number): T | undefined {
  return i >= 0 ? list[i] : undefined;
}

/** Index of the last element whose key is <= t, or -1; `list` is sorted by key. */
function lastIndexAtOrBefore<T>(list: readonly T[], t: number, key: (x: T) => number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(list[mid]!) <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
