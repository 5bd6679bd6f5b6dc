import type { Diagnostic, Severity } from '../../model/diagnostic.js';
import type { ObjectMeta } from '../../model/cluster.js';

/** Builds diagnostics for one object, locating each at its field (`spec.rules.0.when.1.key`) when known. */
export function problemReporter(kind: string, meta: ObjectMeta) {
  const object = `${kind} ${meta.ref.namespace}/${meta.ref.name}`;
  const out: Diagnostic[] = [];
  const at = (path: string): { line: number; column?: number } => {
    let p = path;
    while (p !== '') {
      const pos = meta.positions?.[p];
      if (pos) return { line: pos[0], column: pos[1] };
      p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '';
    }
    return { line: meta.source.line };
  };
  const add = (severity: Severity, code: string, path: string, message: string): void => {
    const loc = at(path);
    const where = `${meta.source.file}:${loc.line}${loc.column ? `:${loc.column}` : ''}`;
    out.push({ severity, code, object, file: meta.source.file, ...loc, message: `${object} (${where}): ${message}` });
  };
  return {
    diagnostics: out,
    error: (code: string, path: string, message: string) => add('error', code, path, message),
    warning: (code: string, path: string, message: string) => add('warning', code, path, message),
    note: (code: string, path: string, message: string) => add('info', code, path, message),
  };
}

export type Reporter = ReturnType<typeof problemReporter>;

/** `spec.rules.0.to` → `spec.rules[0].to`, as people read field paths. */
export function display(path: string): string {
  return path.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
}
