/**
 * Reads fields of a plain object the way the API server's structural schema checks them: each wrong
 * type is recorded with its path (`spec.rules[0].to[0].operation.ports[0]`), the expected type and
 * what was there; callers reject the object when any problem was recorded.
 */
export interface TypeProblem {
  /** Dotted path for positions (`spec.rules.0.to`). */
  readonly path: string;
  /** The path as people write it (`spec.rules[0].to`). */
  readonly display: string;
  readonly message: string;
  readonly code: 'invalid-field-type' | 'unknown-field' | 'missing-field';
}

export class FieldReader {
  readonly problems: TypeProblem[] = [];

  private add(path: string, message: string, code: TypeProblem['code'] = 'invalid-field-type'): void {
    this.problems.push({ path, display: displayPath(path), message, code });
  }

  /** A mapping, or undefined when absent; anything else is a problem. */
  map(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    this.add(path, `${displayPath(path)} must be an object, got ${describe(value)}`);
    return undefined;
  }

  string(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.add(path, `${displayPath(path)} must be a string, got ${describe(value)}`);
    return undefined;
  }

  integer(value: unknown, path: string): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    this.add(path, `${displayPath(path)} must be an integer, got ${describe(value)}`);
    return undefined;
  }

  boolean(value: unknown, path: string): boolean | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    this.add(path, `${displayPath(path)} must be a boolean, got ${describe(value)}`);
    return undefined;
  }

  list(value: unknown, path: string): unknown[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value)) return value;
    this.add(path, `${displayPath(path)} must be a list, got ${describe(value)}`);
    return undefined;
  }

  /** A list of strings (Istio's `[]string` fields). */
  strings(value: unknown, path: string): string[] | undefined {
    const list = this.list(value, path);
    if (!list) return undefined;
    const out: string[] = [];
    list.forEach((v, i) => {
      const s = this.string(v, `${path}.${i}`);
      if (s !== undefined) out.push(s);
      else if (v === null || v === undefined) this.add(`${path}.${i}`, `${displayPath(`${path}.${i}`)} must be a string, got null`);
    });
    return out;
  }

  /** A map of string to string (labels, annotations, matchLabels). */
  stringMap(value: unknown, path: string): Record<string, string> | undefined {
    const m = this.map(value, path);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') this.add(`${path}.${k}`, `${displayPath(`${path}.${k}`)} must be a string, got ${describe(v)} (quote it)`);
      else this.add(`${path}.${k}`, `${displayPath(`${path}.${k}`)} must be a string, got ${describe(v)}`);
    }
    return out;
  }

  /** Records fields of a strict schema that are not in `known`. */
  onlyKnown(obj: Record<string, unknown> | undefined, known: readonly string[], path: string): void {
    if (!obj) return;
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) this.add(`${path}.${key}`, `unknown field "${displayPath(`${path}.${key}`)}"; ${displayPath(path)} has ${known.join(', ')}`, 'unknown-field');
    }
  }

  missing(path: string, message: string): void {
    this.add(path, message, 'missing-field');
  }
}

/** `spec.rules.0.to` → `spec.rules[0].to`. */
export function displayPath(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value} ${String(value)}`;
}
