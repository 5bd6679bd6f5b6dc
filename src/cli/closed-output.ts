import { escapeText } from '../index.js';

/**
 * Standard output closed by its reader (`ambient-bench simulate … | head`): the command stops at once
 * and silently, with the status a Unix tool killed by SIGPIPE reports (128 + 13), so `set -o pipefail`
 * still sees that the output was cut. Node ignores SIGPIPE and reports the closed pipe as EPIPE, on
 * the stream or from a pending write.
 */
export const EXIT_OUTPUT_CLOSED = 141;

/** Whether an error is a write to a pipe whose reader has gone. */
export function isClosedOutput(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === 'EPIPE';
}

/**
 * Stops the process quietly when standard output's reader goes away; any other failure to write it
 * (a full disk) is said in one line, without a stack, with the code of a failure that is not the input's.
 */
export function stopWhenOutputCloses(stdout: NodeJS.WriteStream = process.stdout): void {
  stdout.on('error', (error) => {
    if (isClosedOutput(error)) process.exit(EXIT_OUTPUT_CLOSED);
    process.stderr.write(`ambient-bench: cannot write standard output: ${escapeText(error.message)}\n`);
    process.exit(70);
  });
}
