import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { readManifestInputs } from '../files.js';
import { loadManifests, type LoadedManifests, type ManifestInput } from '../index.js';
import type { IstiodEnv } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { UsageError } from './exit.js';

/** What standard input is called in diagnostics, as for `--flows -`. */
export const STDIN_NAME = '(stdin)';

/** The options `-f, --filename` and `-R, --recursive` leave on a command. */
export interface ManifestOptions {
  filename?: string[];
}

/**
 * Adds kubectl's manifest options: `-f, --filename <paths...>` (repeatable, comma-separated lists, `-`
 * for standard input) and `-R, --recursive`, accepted for kubectl's sake (directories are always
 * walked). `--file`, the long form of earlier versions, still works and is not listed.
 */
export function addManifestOptions(command: Command, options: { required: boolean; description: string }): Command {
  const filename = new Option('-f, --filename <paths...>', `${options.description}; - reads standard input`);
  if (options.required) filename.makeOptionMandatory();
  const file = Object.assign(new Option('--file <paths...>').hideHelp(), { attributeName: () => 'filename' });
  return command
    .addOption(filename)
    .addOption(file)
    .addOption(new Option('-R, --recursive', 'accepted as kubectl accepts it: directories are always walked recursively'));
}

/** The paths of repeated and comma-separated `-f` values, in order, empty parts dropped. */
export function manifestPaths(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).filter((p) => p !== '');
}

/** How `loadManifestPaths` reads: istiod flags, the option's name for messages, and standard input. */
export interface ManifestReadOptions {
  readonly istiodEnv?: IstiodEnv;
  /** The option the paths came from (`-f`, `--before`, `--after`), for usage errors. */
  readonly option?: string;
  /** The option that already reads standard input (`--flows`), if any. */
  readonly stdinTakenBy?: string;
  readonly stdin?: AsyncIterable<Uint8Array | string>;
}

/**
 * Reads and loads the manifests `-f` names (standard input for `-`). A path that does not exist is a
 * usage error, as kubectl makes it one: nothing is simulated on a configuration that is not all there.
 */
export async function loadManifestPaths(paths: readonly string[], options: ManifestReadOptions = {}): Promise<LoadedManifests> {
  const read = await readManifestPaths(paths, options);
  const loaded = loadManifests(read.inputs, options.istiodEnv ? { istiodEnv: options.istiodEnv } : {});
  return { ...loaded, diagnostics: [...read.diagnostics, ...loaded.diagnostics] };
}

/** The texts of the manifests `-f` names, read as `loadManifestPaths` reads them, not yet loaded. */
export async function readManifestPaths(paths: readonly string[], options: ManifestReadOptions = {}): Promise<{ inputs: ManifestInput[]; diagnostics: Diagnostic[] }> {
  const option = options.option ?? '-f';
  const fromStdin = paths.filter((p) => p === '-').length;
  if (fromStdin > 1) throw new UsageError(`${option} - can be given once: standard input is read once`);
  if (fromStdin > 0 && options.stdinTakenBy) throw new UsageError(`${option} - and ${options.stdinTakenBy} - both read standard input; give one of them a file`);
  await checkPathsExist(paths, option);
  const inputs: ManifestInput[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    if (path === '-') {
      inputs.push({ file: STDIN_NAME, text: await readAll(options.stdin ?? process.stdin) });
      continue;
    }
    const read = await readManifestInputs([path]);
    for (const i of read.inputs) inputs.push(i);
    for (const d of read.diagnostics) diagnostics.push(d);
  }
  return { inputs, diagnostics };
}

export async function checkPathsExist(paths: readonly string[], option: string): Promise<void> {
  for (const path of paths) {
    if (path === '-') continue;
    try {
      await stat(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${option} ${path}: no such file or directory`);
    }
  }
}

async function readAll(stream: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
