import { isIpOrCidr } from '../ip-text.js';
import { display, type Reporter } from './report-problem.js';

/**
 * when-keys istiod accepts (istio/istio:pkg/config/security/security.go `ValidateAttribute` and the
 * attribute table of istio.io's authorization-policy conditions page).
 */
const PLAIN_KEYS = new Set([
  'source.ip', 'remote.ip', 'source.namespace', 'source.principal', 'source.serviceAccount', 'source.trustDomain',
  'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter', 'destination.ip', 'destination.port', 'connection.sni',
]);
const MAP_KEYS = ['request.headers', 'request.auth.claims'];
const SUPPORTED = 'request.headers[<name>], source.ip, remote.ip, source.namespace, source.principal, source.serviceAccount, request.auth.principal, request.auth.audiences, request.auth.presenter, request.auth.claims[<name>], destination.ip, destination.port, connection.sni, experimental.envoy.filters.*[<name>]';

/** `ValidateAttribute`: known key, `[name]` on map keys, values valid for IP and port keys. */
export function validateCondition(r: Reporter, key: string, values: readonly string[], path: string): void {
  const keyPath = `${path}.key`;
  if (key === '') return r.error('empty-condition-key', keyPath, `${display(keyPath)} is empty; name an attribute such as source.ip`);
  if (key === 'destination.namespace' || key.startsWith('destination.labels')) {
    return r.error('unsupported-condition-key', keyPath, `condition key "${key}" in ${display(keyPath)} is no longer supported: attribute ${key} is replaced by the metadata.namespace and selector of the policy`);
  }
  if (key === 'destination.name' || key === 'destination.user') {
    return r.error('unsupported-condition-key', keyPath, `condition key "${key}" in ${display(keyPath)} is deprecated and no longer supported`);
  }
  const mapKey = MAP_KEYS.find((m) => key === m || key.startsWith(`${m}[`) || key.startsWith(`${m}.`));
  if (mapKey || key.startsWith('experimental.envoy.filters.')) {
    if (!/\[[^\]]+\]$/.test(key)) r.error('invalid-condition-key', keyPath, `condition key "${key}" in ${display(keyPath)} must name an entry in brackets, e.g. ${mapKey ?? 'experimental.envoy.filters.http.foo'}[name]`);
    return;
  }
  if (!PLAIN_KEYS.has(key)) return r.error('unknown-condition-key', keyPath, `unknown attribute "${key}" in ${display(keyPath)}; supported keys are ${SUPPORTED}`);
  if (key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip') validateIps(r, values, `${path}.values`);
  if (key === 'destination.port') validatePorts(r, values, `${path}.values`);
}

/** `ValidateIPs`: every entry a valid IP or CIDR (a comparison or `*` is not an address). */
export function validateIps(r: Reporter, values: readonly string[], path: string): void {
  values.forEach((v, i) => {
    if (v !== '' && !isIpOrCidr(v)) r.error('invalid-cidr', `${path}.${i}`, `"${v}" in ${display(`${path}.${i}`)} is not a valid IP address or CIDR block`);
  });
}

/** `ValidatePorts`: integers from 0 to 65535; there are no ranges or comparison operators. */
export function validatePorts(r: Reporter, values: readonly string[], path: string): void {
  values.forEach((v, i) => {
    if (!/^\d+$/.test(v) || Number(v) > 65535) {
      r.error('invalid-port', `${path}.${i}`, `port "${v}" in ${display(`${path}.${i}`)} must be an integer from 0 to 65535${/^[<>=]/.test(v) ? '; comparison operators are not supported' : ''}`);
    }
  });
}

/**
 * `CheckValidPathTemplate`: `{*}` and `{**}` are the only operators, `{**}` must be the last operator,
 * may not have other characters in its segment, and literals must be valid path characters.
 */
export function validatePath(r: Reporter, path: string, fieldPath: string): void {
  if (!path.includes('{') && !path.includes('}')) return;
  const where = display(fieldPath);
  const bad = (why: string) => r.error('invalid-path-template', fieldPath, `path template "${path}" in ${where} is invalid: ${why}; use {*} for one segment and {**} for the rest`);
  const stripped = path.replace(/\{\*\*\}|\{\*\}/g, '');
  if (stripped.includes('{') || stripped.includes('}')) return bad('"{" and "}" may only appear as {*} or {**}');
  const segments = path.split('/');
  let sawGlob = false;
  for (const seg of segments) {
    if (seg.includes('{**}')) {
      if (seg !== '{**}') return bad('{**} must be a whole path segment');
      if (sawGlob) return bad('{**} may appear once');
      sawGlob = true;
    } else if (sawGlob && seg.includes('{*}')) {
      return bad('no operator may follow {**}');
    }
  }
  if (!/^[A-Za-z0-9\-._~!$&'()*+,;=:@/{}%]*$/.test(stripped)) bad('it contains characters that are not valid in a path');
}
