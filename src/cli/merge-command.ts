import type { Command } from 'commander';
import { jsonLinesStream, jsonStream, textStream, type ReportStream } from '../files/run-simulation.js';
import { MergeRefused, mergeTails, mergedResultLines, readReportTail } from '../files/shard-reports.js';
import { escapeText } from '../index.js';
import type { FlowResult } from '../model/result.js';
import { EXIT_OK, UsageError } from './exit.js';
import { outputFormat, terminalStyle } from './options.js';
import { PacedOutput } from './paced-output.js';

const FORMATS = ['text', 'json', 'jsonl'] as const;

/** `merge`: joins the reports of `simulate --shard k/n -o jsonl` into the report of the whole run. */
export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join the -o jsonl reports of every shard of a run (simulate --shard k/n) into the report of the whole run')
    .argument('<reports...>', 'shard reports (simulate --shard k/n -o jsonl), one per shard, in any order')
    .option('-o, --output <format>', `output format: ${FORMATS.join(', ')}`, 'jsonl')
    .action(async (reports: string[], opts: { output?: string }) => {
      process.exitCode = await runMerge(reports, opts);
    });
}

/**
 * Every report's tail is read and checked first (same configuration, same inputs, every shard once),
 * so nothing is written for reports that cannot be merged; then results stream in input order.
 */
async function runMerge(files: string[], opts: { output?: string }): Promise<number> {
  const format = outputFormat(opts.output, FORMATS, 'jsonl');
  try {
    const tails = [];
    for (const file of files) tails.push(await readReportTail(file));
    const merged = mergeTails(tails);
    const sharded = tails[0]?.tail.shard !== undefined;
    const out = new PacedOutput();
    const stream = reportStream(format);
    out.write(stream.head());
    for await (const batch of mergedResultLines(files, sharded)) {
      if (format === 'jsonl') out.write(`${batch.join('\n')}\n`);
      else for (const line of batch) out.write(stream.result(parseResult(line)));
      await out.written();
    }
    out.write(stream.tail(merged.tail));
    out.flush();
    for (const note of merged.notes) process.stderr.write(`ambient-bench merge: ${escapeText(note)}\n`);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof MergeRefused) throw new UsageError(`merge: ${e.message}`);
    throw e;
  }
}

/** A result line as the report renderers take it; a line that is not one is refused, not rendered half. */
function parseResult(line: string): FlowResult {
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch {
    throw new MergeRefused(`a result line is not JSON: ${line.slice(0, 80)}`);
  }
  if (!isResult(r)) throw new MergeRefused(`a result line is not a result of simulate -o jsonl: ${line.slice(0, 80)}`);
  return r;
}

function isResult(v: unknown): v is FlowResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const by = r['decidedBy'] as Record<string, unknown> | null;
  return typeof r['id'] === 'string' && typeof r['source'] === 'string' && typeof r['destination'] === 'string'
    && (r['verdict'] === 'allow' || r['verdict'] === 'deny') && typeof r['encrypted'] === 'boolean' && typeof r['reason'] === 'string'
    && typeof by === 'object' && by !== null && typeof by['component'] === 'string'
    && Array.isArray(r['hops']) && (r['hops'] as unknown[]).every((h) => typeof h === 'object' && h !== null)
    && Array.isArray(r['steps']) && (r['steps'] as unknown[]).every((s) => typeof s === 'object' && s !== null && typeof (s as Record<string, unknown>)['code'] === 'string');
}

function reportStream(format: (typeof FORMATS)[number]): ReportStream {
  if (format === 'json') return jsonStream();
  if (format === 'text') return textStream(terminalStyle(process.stdout));
  return jsonLinesStream();
}
