/**
 * `diff` over a flows file on two threads: the side after the change (diff-side.ts) reads its
 * configuration and the flows file in a worker while this thread reads the configuration before and
 * the same file; each flow's two decisions are joined here as they come, and only the flows that
 * changed are explained, each side by its own thread. The result is the one `DiffRun` gives on one
 * thread, field for field.
 */
import { Worker } from 'node:worker_threads';
import type { MeshIndex } from '../index.js';
import type { Decision } from '../model/decision.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ResultDiff } from '../model/diff.js';
import type { Flow } from '../model/flow.js';
import type { FlowResult } from '../model/result.js';
import { DiffRun } from '../sim/diff-runs.js';
import type { AfterSpec } from './after-configuration.js';
import type { DiffSideMessage, DiffSideTask, ExplainRequest } from './diff-side.js';
import { readFlowsInput } from './flows-input.js';

/** What the side after reported of its configuration. */
export interface AfterReport {
  readonly notes: readonly string[];
  readonly configDiagnostics: readonly Diagnostic[];
  readonly meshDiagnostics: readonly Diagnostic[];
}

/** The side after the change, running in its worker thread. */
export class DiffSide {
  private readonly worker: Worker;
  private readonly decisions: Decision[] = [];
  private readonly chunks: Int32Array[] = [];
  private at = 0;
  private delivered = 0;
  private total: number | undefined;
  private failure: string | undefined;
  private report: AfterReport | undefined;
  private explained: readonly FlowResult[] | undefined;
  private wake: (() => void) | undefined;

  /** Starts the side after: `flowsFile` must be a file it can read again (not standard input). */
  constructor(after: AfterSpec, flowsFile: string) {
    const task: DiffSideTask = { after, flowsFile };
    this.worker = import.meta.url.endsWith('.ts') ? fromSource(task) : new Worker(new URL('./diff-side-worker.js', import.meta.url), { workerData: task });
    this.worker.on('message', (m: DiffSideMessage) => this.receive(m));
    this.worker.on('error', (e: Error) => this.fail(e.message));
    this.worker.on('exit', (code) => {
      if (this.explained === undefined) this.fail(`the worker stopped (exit code ${code})`);
    });
  }

  /** The configuration after; rejects when the worker could not run (the caller then diffs on one thread). */
  async configured(): Promise<AfterReport> {
    await this.until(() => this.report !== undefined);
    return this.report as AfterReport;
  }

  /**
   * Diffs the flows file: reads it on this thread through the configuration before, joins each flow
   * with the side after's decision, then has both sides explain the flows that changed. The file's
   * problems go to `diagnostics`.
   */
  async diff(before: MeshIndex, flowsFile: string, diagnostics: Diagnostic[]): Promise<ResultDiff> {
    const run = new DiffRun(before);
    const changed: Flow[] = [];
    let n = 0;
    for await (const batch of readFlowsInput({ file: flowsFile }, diagnostics, { entries: 0, dropped: 0, flows: 0 })) {
      await this.until(() => this.delivered >= n + batch.length || this.total !== undefined);
      for (const flow of batch) {
        if (run.addDecided(flow, this.next())) changed.push(flow);
        n++;
      }
    }
    await this.until(() => this.total !== undefined);
    if (this.total !== n) throw new Error(`${flowsFile} changed while it was read: ${n} flows here, ${this.total ?? 0} in the second reading`);
    const request: ExplainRequest = { type: 'explain', flows: changed };
    this.worker.postMessage(request);
    await this.until(() => this.explained !== undefined);
    run.settle(this.explained as readonly FlowResult[]);
    return run.finish();
  }

  /** Stops the worker (after `diff`, or to give up on it). */
  async close(): Promise<void> {
    await this.worker.terminate();
  }

  /** The next flow's decision on the side after. */
  private next(): Decision {
    while (this.at >= (this.chunks[0]?.length ?? 0)) {
      if (this.chunks.length === 0) throw new Error('the side after the change decided fewer flows than were read');
      this.chunks.shift();
      this.at = 0;
    }
    return this.decisions[(this.chunks[0] as Int32Array)[this.at++] as number] as Decision;
  }

  private receive(m: DiffSideMessage): void {
    if (m.type === 'configured') this.report = { notes: m.notes, configDiagnostics: m.configDiagnostics, meshDiagnostics: m.meshDiagnostics };
    else if (m.type === 'decisions') {
      for (const [id, d] of m.fresh) this.decisions[id] = d;
      this.chunks.push(m.ids);
      this.delivered += m.ids.length;
    } else if (m.type === 'decided') this.total = m.flows;
    else if (m.type === 'explained') this.explained = m.results;
    else this.fail(m.message);
    this.wake?.();
  }

  private fail(message: string): void {
    this.failure ??= message;
    this.wake?.();
  }

  /** Waits for messages until `ready()` holds; rejects once the worker failed. */
  private async until(ready: () => boolean): Promise<void> {
    for (;;) {
      if (ready()) return;
      if (this.failure !== undefined) throw new DiffSideFailure(this.failure);
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}

/**
 * The worker, run from the TypeScript sources (tests, `tsx`): a worker's entry is not loaded through
 * the loader hooks of its parent, so it registers tsx's before importing the entry.
 */
function fromSource(task: DiffSideTask): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./diff-side-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: task });
}

/** The worker of the side after could not do its part. */
export class DiffSideFailure extends Error {}
