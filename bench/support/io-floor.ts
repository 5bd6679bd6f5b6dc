/**
 * The I/O floor: a plain Node program that reads a JSONL file as a stream, parses every line with
 * JSON.parse and either writes each line to standard output (`write`, the floor of `simulate -o jsonl`)
 * or only counts them (`count`, the floor of `diff`, whose output does not grow with the flows). It is
 * run as `node -e` so that no loader or compiler stands between it and Node.
 */
export const IO_FLOOR_SCRIPT = String.raw`
const { createReadStream } = require('node:fs');
const { once } = require('node:events');
const [file, mode] = process.argv.slice(1);
async function main() {
  let rest = '';
  let lines = 0;
  let parsed = 0;
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 })) {
    const text = rest + chunk;
    const end = text.lastIndexOf('\n');
    rest = text.slice(end + 1);
    if (end < 0) continue;
    const block = text.slice(0, end + 1);
    let start = 0;
    for (let i = block.indexOf('\n'); i !== -1; start = i + 1, i = block.indexOf('\n', start)) {
      if (i > start && JSON.parse(block.slice(start, i)) !== null) parsed++;
      lines++;
    }
    if (mode === 'write' && !process.stdout.write(block)) await once(process.stdout, 'drain');
  }
  if (rest.length > 0) {
    if (JSON.parse(rest) !== null) parsed++;
    lines++;
    if (mode === 'write') process.stdout.write(rest + '\n');
  }
  process.stdout.write(JSON.stringify({ lines, parsed }) + '\n');
}
main().catch((e) => { console.error(e); process.exitCode = 1; });
`;

/** Arguments for `node` that run the floor over `file`. */
export function ioFloorArgs(file: string, mode: 'write' | 'count'): string[] {
  return ['-e', IO_FLOOR_SCRIPT, file, mode];
}
