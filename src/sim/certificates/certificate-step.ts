import type { Step } from '../../model/result.js';
import type { CertificateStatus } from './certificate-valid-at.js';

/**
 * The `certificate-expired` step of an HBONE connection that could not be made because the source
 * workload's certificate (the connecting side) or the destination's (the accepting side) is not
 * usable; `at` names the ztunnel, for example `source-ztunnel node-a`.
 */
export function certificateExpiredStep(at: string, side: 'source' | 'destination', identity: string, status: Extract<CertificateStatus, { valid: false }>): Step {
  const c = status.certificate;
  return {
    at, code: 'certificate-expired', effect: 'deny',
    detail: {
      side, identity, why: status.why,
      issuedAt: c?.issuedAt ?? null, expiredAt: c?.notAfter ?? null,
      lostAt: c !== null && c.endedBy === 'restart' ? c.heldUntil : null,
      lastAttempt: status.lastAttempt?.at ?? null, nextAttempt: status.nextAttempt,
    },
  };
}
