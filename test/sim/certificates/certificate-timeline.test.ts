import { describe, expect, it } from 'vitest';
import { DEFAULT_CERTIFICATE_SETTINGS } from '../../../src/sim/certificates/certificate-settings.js';
import { certificateTimeline } from '../../../src/sim/certificates/certificate-timeline.js';
import { certificateValidAt } from '../../../src/sim/certificates/certificate-valid-at.js';
import { ISTIO_AGENT_RENEWAL, ztunnelRetryDelay } from '../../../src/sim/certificates/renewal-profile.js';

const H = 3600;
const DAY = 24 * H;

describe('certificate defaults follow istiod and ztunnel', () => {
  it('a workload certificate lives 24 h (istio/ztunnel src/config.rs DEFAULT_TTL, istio/istio security/pkg/cmd/constants.go DefaultWorkloadCertTTL)', () => {
    expect(DEFAULT_CERTIFICATE_SETTINGS.ttl).toBe(DAY);
  });

  it('istiod refuses TTLs above 90 days (security/pkg/cmd/constants.go DefaultMaxWorkloadCertTTL, security/pkg/pki/ca/ca.go sign)', () => {
    expect(DEFAULT_CERTIFICATE_SETTINGS.maxTtl).toBe(90 * DAY);
    const t = certificateTimeline({ requestedAt: 0, horizon: 60, settings: { ttl: 91 * DAY } });
    expect(t.certificates).toEqual([]);
    expect(t.attempts.every((a) => !a.ok && a.why === 'ttl-over-max')).toBe(true);
    expect(certificateValidAt(t, 30)).toMatchObject({ valid: false, why: 'never-issued' });
  });

  it('NotBefore is backdated 2 minutes and NotAfter is issuance + TTL (security/pkg/pki/util/generate_cert.go ClockSkewGracePeriod)', () => {
    const [c] = certificateTimeline({ requestedAt: 100, horizon: 200 }).certificates;
    expect(c).toMatchObject({ issuedAt: 100, notBefore: -20, notAfter: 100 + DAY });
  });
});

describe('ztunnel renews at half of the validity from not_before (src/tls/certificate.rs refresh_at)', () => {
  it('renews a 24 h certificate 11 h 59 min after issuance, and keeps renewing', () => {
    const t = certificateTimeline({ requestedAt: 0, horizon: 2 * DAY });
    const half = (DAY + 120) / 2 - 120;
    expect(half).toBe(11 * H + 59 * 60);
    expect(t.certificates.map((c) => c.issuedAt)).toEqual([0, half, 2 * half, 3 * half, 4 * half]);
    expect(t.attempts.every((a) => a.ok)).toBe(true);
  });

  it('retries a failed renewal after 1, 2, 4 ... 128, then every 150 s (src/identity/manager.rs ExponentialBackoff, max_interval 150 s)', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40].map(ztunnelRetryDelay)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 150, 150, 150]);
    const t = certificateTimeline({ requestedAt: 0, horizon: 600, unreachable: [{ from: 0, until: 400 }] });
    const times = t.attempts.map((a) => a.at);
    expect(times).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 255, 405]);
    expect(t.attempts.at(-1)).toEqual({ at: 405, ok: true });
    expect(certificateValidAt(t, 404)).toMatchObject({ valid: false, why: 'never-issued', lastAttempt: { at: 255, ok: false }, nextAttempt: 405 });
    expect(certificateValidAt(t, 405)).toMatchObject({ valid: true, certificate: { issuedAt: 405 } });
  });

  it('keeps the old certificate while renewals fail and retries exactly at its expiry (manager.rs min(refresh_at, cert_expiry_instant))', () => {
    const t = certificateTimeline({ requestedAt: 0, horizon: 2 * DAY, unreachable: [{ from: 10 * H, until: 2 * DAY }] });
    expect(certificateValidAt(t, DAY - 1)).toMatchObject({ valid: true, certificate: { issuedAt: 0 } });
    expect(t.attempts.some((a) => a.at === DAY)).toBe(true);
    const expired = certificateValidAt(t, DAY);
    expect(expired).toMatchObject({ valid: false, why: 'expired', certificate: { notAfter: DAY }, lastAttempt: { at: DAY, ok: false, why: 'istiod-unreachable' } });
  });

  it('an outage of 48 h that starts with the mesh leaves HBONE without certificates until istiod returns', () => {
    const t = certificateTimeline({ requestedAt: 0, horizon: 3 * DAY, unreachable: [{ from: 0, until: 172_800 }] });
    expect(certificateValidAt(t, 172_799)).toMatchObject({ valid: false, why: 'never-issued' });
    const after = t.certificates[0]!;
    expect(after.issuedAt).toBeGreaterThanOrEqual(172_800);
    expect(after.issuedAt).toBeLessThanOrEqual(172_800 + 150);
  });

  it('loses its certificates on a restart and asks again at once with a fresh backoff', () => {
    const t = certificateTimeline({ requestedAt: 0, horizon: DAY, restarts: [{ from: 5000, until: 5000 }], unreachable: [{ from: 4000, until: 5100 }] });
    expect(certificateValidAt(t, 4999)).toMatchObject({ valid: true, certificate: { issuedAt: 0 } });
    expect(certificateValidAt(t, 5000)).toMatchObject({ valid: false, why: 'lost-on-restart', certificate: { heldUntil: 5000, endedBy: 'restart' } });
    expect(t.attempts.filter((a) => a.at >= 5000).map((a) => a.at).slice(0, 4)).toEqual([5000, 5001, 5003, 5007]);
    expect(t.certificates[1]).toMatchObject({ issuedAt: 5000 + 1 + 2 + 4 + 8 + 16 + 32 + 64 });
  });
});

describe('a ztunnel that is down for a while asks for certificates when it is back', () => {
  it('requests nothing while down and issues at once on return when istiod is reachable then', () => {
    const t = certificateTimeline({ requestedAt: 0, horizon: DAY, restarts: [{ from: 1000, until: 1005 }] });
    expect(t.attempts.map((a) => a.at).slice(0, 2)).toEqual([0, 1005]);
    expect(certificateValidAt(t, 1002)).toMatchObject({ valid: false, why: 'lost-on-restart' });
    expect(certificateValidAt(t, 1005)).toMatchObject({ valid: true, certificate: { issuedAt: 1005 } });
  });

  it('comes back without certificates when istiod is unreachable then, even if it was reachable when it went down', () => {
    const t = certificateTimeline({ requestedAt: 0, horizon: DAY, restarts: [{ from: 1000, until: 1005 }], unreachable: [{ from: 1003, until: 2000 }] });
    expect(certificateValidAt(t, 1999)).toMatchObject({ valid: false, why: 'lost-on-restart', lastAttempt: { ok: false } });
    expect(t.certificates[1]!.issuedAt).toBeGreaterThanOrEqual(2000);
  });
});

describe('istio-agent rotates at half the lifetime (security/pkg/nodeagent/cache/secretcache.go rotateTime, SECRET_GRACE_PERIOD_RATIO 0.5)', () => {
  it('rotates a 24 h certificate after 12 h and, after an outage, renews when istiod returns', () => {
    const ok = certificateTimeline({ requestedAt: 0, horizon: DAY, profile: ISTIO_AGENT_RENEWAL });
    expect(ok.certificates.map((c) => c.issuedAt)).toEqual([0, 12 * H]);
    const out = certificateTimeline({ requestedAt: 0, horizon: 2 * DAY, profile: ISTIO_AGENT_RENEWAL, unreachable: [{ from: 11 * H, until: 30 * H }] });
    expect(out.certificates.map((c) => c.issuedAt)).toEqual([0, 30 * H, 42 * H]);
    expect(certificateValidAt(out, 25 * H)).toMatchObject({ valid: false, why: 'expired' });
  });
});
