/** How bad a diagnostic is: `error` means the object (or file) was rejected and left out. */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem found in user input. Codes are stable kebab-case identifiers; `message` is the English
 * sentence for people. Location fields are present when known.
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  /** `Kind namespace/name` of the object concerned, when there is one. */
  readonly object?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Byte offset in a binary input (captures). */
  readonly offset?: number;
  readonly message: string;
}
