import type { Flow, FlowJwt } from '../../model/flow.js';

/**
 * The JWT a request carries: the flow's `jwt`, else the bearer token of its `authorization` header, read
 * without verifying the signature (Envoy's jwt_authn filter reads `Authorization: Bearer <token>` by
 * default). A token that does not decode is marked invalid. Undefined when the request carries none.
 */
export function requestToken(flow: Pick<Flow, 'jwt' | 'http'>): FlowJwt | undefined {
  if (flow.jwt) return flow.jwt;
  const header = flow.http?.headers['authorization'];
  const m = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  if (!m) return undefined;
  return decodeJwt(m[1] as string);
}

/** The claims of a compact JWS (`header.payload.signature`); invalid when it does not decode. */
export function decodeJwt(token: string): FlowJwt {
  const parts = token.split('.');
  const claims = parts.length === 3 ? parseJson(base64UrlDecode(parts[1] as string)) : undefined;
  if (claims === undefined) return { iss: '', sub: '', claims: {}, invalid: true };
  const iss = typeof claims['iss'] === 'string' ? claims['iss'] : '';
  const sub = typeof claims['sub'] === 'string' ? claims['sub'] : '';
  return { iss, sub, claims, ...(iss === '' ? { invalid: true } : {}) };
}

function base64UrlDecode(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
