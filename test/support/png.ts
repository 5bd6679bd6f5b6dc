import { inflateSync } from 'node:zlib';

/** A decoded image: RGBA bytes, row by row. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/**
 * Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium's screenshots are): chunks,
 * zlib inflate of the IDAT data, then the five scanline filters of PNG §9.
 */
export function decodePng(png: Buffer): Pixels {
  if (png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let width = 0, height = 0, channels = 0;
  const data: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const body = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      if (body[8] !== 8 || body[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs are decoded');
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0;
      if (channels === 0) throw new Error(`colour type ${body[9]} is not decoded`);
    } else if (type === 'IDAT') data.push(body);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (row[i - channels] ?? 0) : 0;
      const b = previous[i] ?? 0;
      const c = i >= channels ? (previous[i - channels] ?? 0) : 0;
      row[i] = ((line[i] ?? 0) + predictor(filter, a, b, c)) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = row[x * channels + k] ?? 0;
      out[(y * width + x) * 4 + 3] = channels === 4 ? (row[x * channels + 3] ?? 255) : 255;
    }
    previous = row;
  }
  return { width, height, rgba: out };
}

function predictor(filter: number, a: number, b: number, c: number): number {
  switch (filter) {
    case 0: return 0;
    case 1: return a;
    case 2: return b;
    case 3: return (a + b) >> 1;
    case 4: {
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
    default: throw new Error(`unknown PNG filter ${filter}`);
  }
}

/** How many pixels of a region are within `tolerance` of a colour (each channel). */
export function countColour(p: Pixels, region: { x: number; y: number; width: number; height: number }, hex: string, tolerance = 40): number {
  const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let y = Math.max(0, Math.floor(region.y)); y < Math.min(p.height, region.y + region.height); y++) {
    for (let x = Math.max(0, Math.floor(region.x)); x < Math.min(p.width, region.x + region.width); x++) {
      const o = (y * p.width + x) * 4;
      if (want.every((v, k) => Math.abs((p.rgba[o + k] ?? 0) - v) <= tolerance)) n++;
    }
  }
  return n;
}

/** Distinct colours in the image (how far from blank it is). */
export function distinctColours(p: Pixels): number {
  const seen = new Set<number>();
  for (let o = 0; o < p.rgba.length; o += 4) seen.add(((p.rgba[o] ?? 0) << 16) | ((p.rgba[o + 1] ?? 0) << 8) | (p.rgba[o + 2] ?? 0));
  return seen.size;
}
