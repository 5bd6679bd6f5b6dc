import type { StringMatch } from '../model/mesh.js';

/**
 * Istio's four string forms: `*` (presence: non-empty), `*suffix`, `prefix*`, or exact; no other
 * wildcard position exists (istio/istio:pilot/pkg/serviceregistry/ambient/authorization.go `stringToMatch`;
 * istio/ztunnel:src/rbac.rs `StringMatch::matches`).
 */
export function toStringMatch(value: string): StringMatch {
  if (value === '*') return { kind: 'presence', value: '' };
  if (value.startsWith('*')) return { kind: 'suffix', value: value.slice(1) };
  if (value.endsWith('*')) return { kind: 'prefix', value: value.slice(0, -1) };
  return { kind: 'exact', value };
}

/** Whether `actual` satisfies `m`. */
export function stringMatches(m: StringMatch, actual: string): boolean {
  switch (m.kind) {
    case 'presence': return actual !== '';
    case 'prefix': return actual.startsWith(m.value);
    case 'suffix': return actual.endsWith(m.value);
    default: return actual === m.value;
  }
}

/** The value as Istio writes it (`prefix*`, `*suffix`, `*`, exact). */
export function formatStringMatch(m: StringMatch): string {
  switch (m.kind) {
    case 'presence': return '*';
    case 'prefix': return `${m.value}*`;
    case 'suffix': return `*${m.value}`;
    default: return m.value;
  }
}
