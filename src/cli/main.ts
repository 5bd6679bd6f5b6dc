#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCheck } from './check-command.js';
import { registerDiff } from './diff-command.js';
import { registerExplain } from './explain-command.js';
import { registerMerge } from './merge-command.js';
import { registerSimulate } from './simulate-command.js';
import { registerSuggest } from './suggest-command.js';
import { registerValidate } from './validate-command.js';
import { EXIT_OUTPUT_CLOSED, isClosedOutput, stopWhenOutputCloses } from './closed-output.js';
import { EXIT_USAGE, UsageError } from './exit.js';
import { escapeText } from '../index.js';
import { packageVersion } from './version.js';

const program = new Command('ambient-bench')
  .description('Simulate Istio ambient mode: what would real Istio do with this traffic under this configuration?')
  .version(packageVersion())
  .showHelpAfterError('(run with --help for usage)')
  // commander's own errors quote the arguments (an unknown option or command): controls in them are shown
  // as plain text shows them, lines kept.
  .configureOutput({ outputError: (message, write) => write(message.split('\n').map(escapeText).join('\n')) })
  .exitOverride();

registerSimulate(program);
registerValidate(program);
registerExplain(program);
registerDiff(program);
registerCheck(program);
registerMerge(program);
registerSuggest(program);

stopWhenOutputCloses();

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else if (error instanceof UsageError) {
    process.stderr.write(`ambient-bench: ${escapeText(error.message)}\n`);
    process.exitCode = EXIT_USAGE;
  } else if (isClosedOutput(error)) {
    process.exit(EXIT_OUTPUT_CLOSED);
  } else {
    // A programmer error: say so plainly, with the stack for the bug report (its lines kept, values in them escaped).
    const stack = (error as Error).stack ?? String(error);
    process.stderr.write(`ambient-bench: internal error (please report it): ${stack.split('\n').map(escapeText).join('\n')}\n`);
    process.exitCode = 70;
  }
}
