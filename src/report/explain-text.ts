import type { CheckpointDecision, FlowEvaluation } from '../model/evaluation.js';
import type { Step } from '../model/result.js';
import { nearMissText, stepText } from './reason-text.js';
import { renderResult } from './text.js';
import { appendLines } from './append-lines.js';
import { escapeText } from './escape-text.js';
import type { Style } from './style.js';

/**
 * `explain` (every value from the input escaped, escape-text.ts): the flow's result, then every enforcement point with what it saw of the connection and
 * every policy in scope there: matched or not, which rule, and for ALLOW policies that missed, the
 * nearest miss.
 */
export function renderExplanation(evaluation: FlowEvaluation, style: Style): string {
  const out = [...renderResult(evaluation.result, style), ''];
  if (evaluation.decisions.length === 0) {
    out.push(style.dim('No enforcement point evaluated this flow.'));
    return `${out.join('\n')}\n`;
  }
  for (const d of evaluation.decisions) appendLines(out, checkpointLines(d, evaluation.result.steps, style)).push('');
  return `${out.join('\n').trimEnd()}\n`;
}

function checkpointLines(d: CheckpointDecision, steps: readonly Step[], style: Style): string[] {
  const { checkpoint: c, decision } = d;
  const verdict = decision.verdict === 'allow' ? style.green('ALLOW') : style.red('DENY');
  const a = c.attributes;
  const http = a.http ? `, ${a.http.method} ${a.http.path}${a.http.host ? ` host ${a.http.host}` : ''}` : '';
  const lines = [
    `${style.bold(escapeText(c.at))}: ${verdict}`,
    `  sees: ${escapeText(`peer ${a.srcIdentity ?? 'none (plaintext)'}, source ${a.srcIp}, destination ${a.dstIp}:${a.dstPort}${http}${a.l7Unknown ? `, L7 unknown (${a.l7Unknown})` : ''}`)}`,
  ];
  if (decision.evaluations.length === 0) lines.push(style.dim('  no policy in scope'));
  for (const e of decision.evaluations) {
    const status = e.notEnforced ? style.dim(escapeText(`not enforced (${e.notEnforced})`))
      : e.undecidable ? style.yellow('undecidable')
      : e.matched ? (e.action === 'DENY' ? style.red(`matched rule ${e.rule}`) : style.green(`matched rule ${e.rule}`))
      : 'no match';
    lines.push(`  ${e.action.padEnd(6)} ${escapeText(e.policy).padEnd(48)} ${status}`);
    if (!e.matched && e.nearMiss) lines.push(`         ${style.dim(escapeText(nearMissText(e.nearMiss)))}`);
  }
  const final = steps.find((s) => s.at === c.at && s.effect !== 'info');
  if (final) lines.push(`  => ${escapeText(stepText(final))}`);
  return lines;
}
