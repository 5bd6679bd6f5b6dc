/**
 * The one module that reads files: manifests (files and directories), flows files. Everything it
 * reads is handed to the pure loaders; problems become diagnostics, never exceptions.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
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

export async function readText(file: string): Promise<{ text?: string; diagnostic?: Diagnostic }> {
  try {
    const info = await stat(file);
    if (info.size > MAX_INPUT_BYTES) return { diagnostic: unreadable(file, `file is ${info.size} bytes, over the ${MAX_INPUT_BYTES}-byte limit`) };
    return { text: await readFile(file, 'utf8') };
  } catch (e) {
    return { diagnostic: unreadable(file, fileProblem(e)) };
  }
}

async function expand(path: string): Promise<string[] | Diagnostic> {
  try {
    const info = await stat(path);
    if (!info.isDirectory()) return [path];
    const entries = (await readdir(path, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : 1));
    const out: string[] = [];
    for (const e of entries) {
      const child = join(path, e.name);
      if (e.isDirectory()) {
        const nested = await expand(child);
        if (Array.isArray(nested)) for (const n of nested) out.push(n);
      } else if (MANIFEST_EXTENSIONS.some((x) => e.name.endsWith(x))) out.push(child);
    }
    return out;
  } catch (e) {
    return unreadable(path, fileProblem(e));
  }
}

/** Reads manifest files and directories (recursively: .yaml, .yml, .json, sorted, hidden files skipped). */
export async function readManifestInputs(paths: readonly string[]): Promise<{ inputs: ManifestInput[]; diagnostics: Diagnostic[] }> {
  const inputs: ManifestInput[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const files = await expand(path);
    if (!Array.isArray(files)) {
      diagnostics.push(files);
      continue;
    }
    for (const file of files) {
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
