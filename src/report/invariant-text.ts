import type { FlowEvaluation } from '../model/evaluation.js';
import type { InvariantCheck, InvariantCounterexample, InvariantProblem } from '../model/invariant.js';
import { unknownText } from './check-describe.js';
import { describeRef } from '../model/source.js';
import { renderExplanation } from './explain-text.js';
import { replayCommand } from './replay-command.js';
import { appendLines } from './append-lines.js';
import { escapeText } from './escape-text.js';
import { makeStyle, type Style } from './style.js';

const PLAIN = makeStyle(false);

export interface InvariantTextOptions {
  /** Colours and marks; plain text when absent. */
  readonly style?: Style;
  /** Manifest paths for the replay command; the command is left out without them. */
  readonly manifests?: readonly string[];
}

/**
 * An invariant check as text: held over how many flows, or the smallest counterexample with its
 * explanation, the fewest policies that still produce it, the seed and path, and the command that
 * replays it.
 */
export function renderInvariantCheck(check: InvariantCheck & { readonly explanation?: FlowEvaluation }, options: InvariantTextOptions = {}): string {
  const style = options.style ?? PLAIN;
  const c = check.counterexample;
  if (check.problem) return `${style.red('✗')} ${style.bold(escapeText(check.invariant))} ${escapeText(problemText(check.problem, check.runs))}\n`;
  if (check.passed || c === undefined) {
    return `${style.green('✓')} ${style.bold(escapeText(check.invariant))} held over ${check.runs} generated flows (seed ${check.seed})\n`;
  }
  const lines = [
    `${style.red('✗')} ${style.bold(escapeText(check.invariant))} is broken: found after ${check.runs} generated flows, shrunk in ${c.shrinks} steps to the smallest flow:`,
    ...(c.message === undefined ? [] : [`  ${style.red(escapeText(c.message))}`]),
  ];
  if (c.before) lines.push(`  before the what-if: ${c.before.verdict}, ${c.before.encrypted ? 'encrypted' : 'plaintext'} (${c.before.reason})`);
  const explanation = check.explanation ? renderExplanation(check.explanation, style).trimEnd().split('\n') : [];
  lines.push('', ...explanation.map((l) => (l === '' ? '' : `  ${l}`)), '');
  appendLines(lines, policyLines(c));
  lines.push(`  replay the run: seed ${check.seed}${check.path ? `, path "${escapeText(check.path)}"` : ''} (fast-check { seed, path })`);
  if (options.manifests) lines.push(`  replay the flow: ${replayCommand(c.flow, options.manifests)}`);
  return `${lines.join('\n')}\n`;
}

/** Why a check proved nothing, after the invariant's name. */
function problemText(problem: InvariantProblem, runs: number): string {
  if (problem.kind === 'unknown-reference') return `proves nothing: ${unknownText(problem.refs)}; check the names against the manifests`;
  return `proves nothing: none of ${runs} generated flows exercised it (met its when and its focus); widen the focus, or check the when`;
}

function policyLines(c: InvariantCounterexample): string[] {
  if (c.policies === undefined) return [];
  const of = c.policiesInCluster === undefined ? '' : ` of ${c.policiesInCluster}`;
  if (c.policies.length === 0) return [`  fewest policies that still produce it: none${of} (it happens with no AuthorizationPolicy or PeerAuthentication)`];
  return [
    `  fewest policies that still produce it: ${c.policies.length}${of} (removing any one of them makes it disappear)`,
    ...c.policies.map((p) => `    ${escapeText(describeRef(p))}`),
  ];
}
