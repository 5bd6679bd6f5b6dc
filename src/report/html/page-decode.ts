import type { PageData } from './page-data.js';

/**
 * The embedded data with its packed, delta-encoded arrays (PAGE_LAYOUT.delta; delta-columns.ts)
 * read back into numbers, as every other part of the page reads them. Self-contained: its source
 * is embedded in the report.
 */
export function pageDecode(data: PageData): PageData {
  const digit = new Int8Array(128).fill(-1);
  for (let i = 0; i < data.layout.digits.length; i++) digit[data.layout.digits.charCodeAt(i)] = i;
  const decode = (packed: string | undefined, width: number): number[] | undefined => {
    if (packed === undefined) return undefined;
    const out: number[] = [];
    let z = 0;
    for (let i = 0; i < packed.length; i++) {
      const d = digit[packed.charCodeAt(i)] ?? 0;
      if (d >= 32) { z = z * 32 + (d - 32); continue; }
      z = z * 32 + d;
      const v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      const k = out.length;
      out.push(k < width ? v : v + (out[k - width] as number));
      z = 0;
    }
    return out;
  };
  const record = (source: object, widths: Readonly<Record<string, number>>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...source };
    for (const [name, width] of Object.entries(widths)) {
      const column = decode((source as Record<string, string | undefined>)[name], width);
      if (column) out[name] = column;
    }
    return out;
  };
  const decoded = record(data, data.layout.delta.data);
  decoded['views'] = data.views.map((v) => record(v, data.layout.delta.view));
  return decoded as unknown as PageData;
}
