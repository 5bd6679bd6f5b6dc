import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { unreadable } from '../files.js';
import { parseTimelineFile } from '../load/scenario/parse-timeline.js';
import type { IstiodEnv } from '../model/cluster.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { WhatIfStep, WhatIfStepSpec } from '../model/scenario.js';
import type { TimelineEntry, TimelineSpec } from '../model/timeline.js';
import { resolveSteps } from './resolve-steps.js';
import type { ScenarioRoot } from './scenario-root.js';

/** A timeline ready to run: its `apply` steps' files read. */
export interface ReadTimeline {
  readonly timeline: TimelineSpec<WhatIfStep>;
  readonly diagnostics: Diagnostic[];
}

/** Reads a timeline file (`simulate --timeline`); `apply` files are relative to it. Never throws on user input. */
export async function readTimelineFile(path: string, istiodEnv: IstiodEnv = {}): Promise<ReadTimeline> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return { timeline: { entries: [], settings: { pushDelay: 0 } }, diagnostics: [unreadable(path, 'cannot read the timeline file')] };
  const parsed = parseTimelineFile(text, path);
  const resolved = await resolveTimeline(parsed.timeline, dirname(path), istiodEnv);
  return { timeline: resolved.timeline, diagnostics: [...parsed.diagnostics, ...resolved.diagnostics] };
}

/** Reads the objects of a timeline's `apply` steps (files relative to `base`; with `root`, below it only). */
export async function resolveTimeline(spec: TimelineSpec<WhatIfStepSpec>, base: string, istiodEnv: IstiodEnv, root?: ScenarioRoot): Promise<ReadTimeline> {
  const specs = spec.entries.flatMap((e) => (e.kind === 'configure' ? [e.step] : []));
  const resolved = await resolveSteps(specs, base, istiodEnv, root);
  let next = 0;
  const entries = spec.entries.map((e): TimelineEntry<WhatIfStep> => (e.kind === 'configure' ? { ...e, step: resolved.steps[next++] as WhatIfStep } : e));
  return { timeline: { entries, settings: spec.settings }, diagnostics: resolved.diagnostics };
}
