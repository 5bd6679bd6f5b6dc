import type { ProxyRateLimit } from '../../model/rate-limit.js';
import type { Step } from '../../model/result.js';
import type { Admission } from './local-rate-limiter.js';

/** The `rate-limited` step of a request the proxy's local rate limit refused, with the bucket's state. */
export function rateLimitedStep(limit: ProxyRateLimit, admission: Extract<Admission, { outcome: 'rate-limited' }>): Step {
  const { bucket } = admission;
  const ef = limit.envoyFilter;
  return {
    at: `${limit.proxyKind} ${limit.proxy.namespace}/${limit.proxy.name}`,
    code: 'rate-limited', effect: 'deny', policy: `${ef.namespace}/${ef.name}`,
    detail: {
      status: admission.status, time: admission.time, patch: limit.patchIndex,
      tokensBefore: bucket.tokensBefore, tokensAfter: bucket.tokensAfter,
      nextTokenAt: Number.isFinite(bucket.nextTokenAt) ? bucket.nextTokenAt : null,
      maxTokens: bucket.maxTokens, tokensPerFill: bucket.tokensPerFill, fillInterval: bucket.fillInterval, refill: bucket.refill,
    },
  };
}
