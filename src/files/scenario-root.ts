/**
 * The load restriction of scenario files, after kustomize's default, LoadRestrictionsRootOnly
 * (kubernetes-sigs/kustomize api/internal/loader/loadrestrictions.go RestrictionRootOnly): a file a
 * scenario names is read only when it is in or below the root. As there, the check is on the real
 * path (kyaml/filesys/fsondisk.go CleanedAbs resolves symbolic links with filepath.EvalSymlinks before
 * ConfirmedDir.HasPrefix compares), so a link inside the root that points outside it is outside.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../model/diagnostic.js';
import type { Scenario, WhatIfStepSpec } from '../model/scenario.js';
import type { SourceRef } from '../model/source.js';

/** A directory scenario files may read below: as given (for messages) and its real path. */
export interface ScenarioRoot {
  readonly dir: string;
  readonly real: string;
}

/** The root for `dir`, or undefined when it does not exist or is not a directory. */
export async function scenarioRoot(dir: string): Promise<ScenarioRoot | undefined> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  return { dir, real: await realpath(dir) };
}

/** True when `path` lies in or below `dir` (both absolute): a path-component prefix, as ConfirmedDir.HasPrefix. */
function within(dir: string, path: string): boolean {
  const rest = relative(dir, path);
  return rest === '' || (!isAbsolute(rest) && rest.split(sep)[0] !== '..');
}

/**
 * Whether `path` may be read under `root`: its absolute form must be below the root, and, when it
 * exists, so must its real path (links resolved). A missing path below the root is let through: reading
 * it fails with "no such file", and nothing is read.
 */
export async function insideRoot(root: ScenarioRoot, path: string): Promise<boolean> {
  const absolute = resolve(path);
  if (!within(resolve(root.dir), absolute) && !within(root.real, absolute)) return false;
  const real = await realpath(absolute).catch(() => undefined);
  return real === undefined || within(root.real, real);
}

const PASS_ROOT = 'A scenario reads only files below its root (the directory given to check, else its own folder): pass --root with a directory that holds both';

/** An error at the scenario's line for a path it names, which is not read. */
function refusedAt(code: 'outside-root' | 'not-a-regular-file', at: SourceRef, text: string): Diagnostic {
  const where = `${at.file}:${at.line}${at.column === undefined ? '' : `:${at.column}`}`;
  return { severity: 'error', code, file: at.file, line: at.line, ...(at.column === undefined ? {} : { column: at.column }), message: `${where}: ${text}` };
}

function refused(at: SourceRef, what: string): Diagnostic {
  return refusedAt('outside-root', at, `${what}; it is not read. ${PASS_ROOT}`);
}

/** The error for a path outside the root: the scenario file and line of the field, the path as written and the root. */
function outsideRoot(root: ScenarioRoot, field: string, path: string, at: SourceRef): Diagnostic {
  return refused(at, `${field} names "${path}", which is outside the root ${root.dir}`);
}

/** A file found inside a directory the scenario names (a link in it, say) whose real path is outside the root. */
export function linkedOutsideRoot(root: ScenarioRoot, file: string, at: SourceRef): Diagnostic {
  return refused(at, `${file}, found in a directory named there, leads outside the root ${root.dir}`);
}

/**
 * What kind of special file `path` is (a FIFO, socket or device, links followed), or undefined for a
 * regular file, a directory or a missing path. A scenario is a file people share: reading a FIFO it
 * names would wait for a writer forever, and a device may never end, so neither is opened.
 */
async function specialFile(path: string): Promise<string | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || info.isFile() || info.isDirectory()) return undefined;
  return info.isFIFO() ? 'a named pipe' : info.isSocket() ? 'a socket' : info.isCharacterDevice() ? 'a character device' : info.isBlockDevice() ? 'a block device' : 'not a regular file';
}

function notRegular(field: string, path: string, kind: string, at: SourceRef): Diagnostic {
  return refusedAt('not-a-regular-file', at, `${field} names "${path}", which is ${kind}; a scenario reads only regular files and directories, so it is not read`);
}

/**
 * The scenario with every path outside `root`, and every special file, removed (relative paths are
 * taken from the scenario's folder), and an error for each. No removed file is opened.
 */
export async function confineScenario(scenario: Scenario, root: ScenarioRoot): Promise<{ scenario: Scenario; diagnostics: Diagnostic[] }> {
  const base = resolve(scenario.file, '..');
  const diagnostics: Diagnostic[] = [];
  const fallback: SourceRef = { file: scenario.file, document: 0, line: 1 };
  /** Which of `paths` are inside the root; an error for each other one. */
  const admitted = async (field: string, paths: readonly string[], sources?: readonly SourceRef[]): Promise<boolean[]> => {
    const inside: boolean[] = [];
    for (const [i, path] of paths.entries()) {
      const full = isAbsolute(path) ? path : join(base, path);
      const at = sources?.[i] ?? scenario.paths.find((p) => p.field === field && p.path === path)?.source ?? fallback;
      const ok = await insideRoot(root, full);
      const special = ok ? await specialFile(full) : undefined;
      inside.push(ok && special === undefined);
      if (!ok) diagnostics.push(outsideRoot(root, field, path, at));
      else if (special !== undefined) diagnostics.push(notRegular(field, path, special, at));
    }
    return inside;
  };
  const keep = async (field: string, paths: readonly string[]): Promise<string[]> => {
    const inside = await admitted(field, paths);
    return paths.filter((_, i) => inside[i]);
  };
  const manifests = await keep('manifests', scenario.manifests);
  const t = scenario.traffic;
  const traffic = {
    ...t,
    flowFiles: await keep('traffic.flows', t.flowFiles),
    ...(t.traceFiles ? { traceFiles: await keep('traffic.trace', t.traceFiles) } : {}),
    ...(t.flowLogFiles ? { flowLogFiles: await keep('traffic.flowLog', t.flowLogFiles) } : {}),
  };
  const confineStep = async (field: string, step: WhatIfStepSpec): Promise<WhatIfStepSpec> => {
    if (step.kind !== 'apply') return step;
    const inside = await admitted(field, step.files, step.fileSources);
    return { ...step, files: step.files.filter((_, i) => inside[i]), fileSources: step.fileSources.filter((_, i) => inside[i]) };
  };
  const whatIf: WhatIfStepSpec[] = [];
  for (const step of scenario.whatIf) whatIf.push(await confineStep('whatIf apply', step));
  let timeline = scenario.timeline;
  if (timeline) {
    const entries = [];
    for (const e of timeline.entries) entries.push(e.kind === 'configure' ? { ...e, step: await confineStep('timeline apply', e.step) } : e);
    timeline = { ...timeline, entries };
  }
  return { scenario: { ...scenario, manifests, traffic, whatIf, ...(timeline ? { timeline } : {}) }, diagnostics };
}
