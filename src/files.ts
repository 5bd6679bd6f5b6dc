/**
 * The one module that reads files: manifests (files and directories), flows files. Everything it
 * reads is handed to the pure loaders; problems become diagnostics, never exceptions.
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadManifests, type LoadedManifests, type ManifestInput } from './load/manifests/load-manifests.js';
import { parseFlows, type ParsedFlows } from './load/flows/parse-flows.js';
import type { IstiodEnv } from './model/cluster.js';
import type { Diagnostic } from './model/diagnostic.js';

/** Files larger than this are refused rather than read into memory. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export function unreadable(file: string, message: string): Diagnostic {
  return { severity: 'error', code: 'unreadable-input', file, message: `${file}: ${message}` };
}

/** The message for a file-system error on user input: what happened, without a stack. */
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
}

/**
 * A file's text. A regular file is refused above MAX_INPUT_BYTES before it is read; anything else
 * named explicitly (a pipe such as `-f <(kubectl get ...)`, a device) is read up to that limit and
 * refused there, so no input is read without bound.
 */
export async function readText(file: string): Promise<{ text?: string; diagnostic?: Diagnostic }> {
  try {
    const info = await stat(file);
    if (info.size > MAX_INPUT_BYTES) return { diagnostic: unreadable(file, `file is ${info.size} bytes, over the ${MAX_INPUT_BYTES}-byte limit`) };
    if (info.isFile()) return { text: await readFile(file, 'utf8') };
    return await readBounded(file);
  } catch (e) {
    return { diagnostic: unreadable(file, fileProblem(e)) };
  }
}

/** Reads a stream-like file up to the size limit, stopping there. */
async function readBounded(file: string): Promise<{ text?: string; diagnostic?: Diagnostic }> {
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) return { diagnostic: unreadable(file, `more than the ${MAX_INPUT_BYTES}-byte limit; reading stopped there`) };
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return { text: Buffer.concat(chunks, total).toString('utf8') };
  } finally {
    await handle.close();
  }
}

/** A file met while walking a directory that is not a regular file: skipped, since reading it could block or never end. */
function specialFile(file: string): Diagnostic {
  return { severity: 'warning', code: 'not-a-regular-file', file, message: `${file}: not a regular file (a pipe, socket or device, or a link to one); skipped. Name it with -f to read it` };
}

/** The manifest files a path stands for, with a diagnostic for each special file skipped in a directory. */
async function expand(path: string, skipped: Diagnostic[]): Promise<string[] | Diagnostic> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return [path];
    const entries = (await readdir(path, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1));
    const out: string[] = [];
    for (const e of entries) {
      const child = join(path, e.name);
      // A link is followed to what it names (a directory is walked, a file read), as before.
      const kind = e.isSymbolicLink() ? await stat(child).catch(() => undefined) : e;
      if (kind?.isDirectory()) {
        const nested = await expand(child, skipped);
        if (Array.isArray(nested)) for (const n of nested) out.push(n);
      } else if (MANIFEST_EXTENSIONS.some((x) => e.name.endsWith(x))) {
        if (kind === undefined || kind.isFile()) out.push(child);
        else skipped.push(specialFile(child));
      }
    }
    return out;
  } catch (e) {
    return unreadable(path, fileProblem(e));
  }
}

export interface ReadManifestOptions {
  /** Asked before each file is opened (those found in directories too): a diagnostic refuses the file, unread. */
  readonly admit?: (file: string) => Promise<Diagnostic | undefined>;
}

/** Reads manifest files and directories (recursively: .yaml, .yml, .json, sorted, hidden files skipped). */
export async function readManifestInputs(paths: readonly string[], options: ReadManifestOptions = {}): Promise<{ inputs: ManifestInput[]; diagnostics: Diagnostic[] }> {
  const inputs: ManifestInput[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const files = await expand(path, diagnostics);
    if (!Array.isArray(files)) {
      diagnostics.push(files);
      continue;
    }
    for (const file of files) {
      const refused = await options.admit?.(file);
      if (refused) {
        diagnostics.push(refused);
        continue;
      }
      const r = await readText(file);
      if (r.diagnostic) diagnostics.push(r.diagnostic);
      else inputs.push({ file, text: r.text as string });
    }
  }
  return { inputs, diagnostics };
}

/** Reads and loads manifests into a Cluster. */
export async function loadManifestFiles(paths: readonly string[], options: { istiodEnv?: IstiodEnv } = {}): Promise<LoadedManifests> {
  const read = await readManifestInputs(paths);
  const loaded = loadManifests(read.inputs, options);
  return { ...loaded, diagnostics: [...read.diagnostics, ...loaded.diagnostics] };
}

/** Reads a flows file (YAML, JSON or JSONL). */
export async function readFlowsFile(path: string): Promise<ParsedFlows> {
  const r = await readText(path);
  if (r.diagnostic) return { flows: [], diagnostics: [r.diagnostic] };
  return parseFlows(r.text as string, path);
}
