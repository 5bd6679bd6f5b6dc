/** Exit codes of the contract (DESIGN.md): 0 done, 1 a --fail-on condition or failed expectation, 2 usage or unreadable input. */
export const EXIT_OK = 0;
export const EXIT_CONDITION = 1;
export const EXIT_USAGE = 2;

/** A problem with how the command was called or with its input files; exits 2 with the message. */
export class UsageError extends Error {}
