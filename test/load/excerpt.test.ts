import { describe, expect, it } from 'vitest';
import { cut, EXCERPT_CHARS, excerpt, parserMessage } from '../../src/load/excerpt.js';

describe('what a message quotes of a file that did not parse (src/load/excerpt.ts)', () => {
  it('an excerpt keeps at most 40 characters of a value, JSON-quoted, an ellipsis marking the cut', () => {
    expect(excerpt('short')).toBe('"short"');
    expect(excerpt('x'.repeat(64))).toBe(`"${'x'.repeat(EXCERPT_CHARS)}…"`);
    expect(excerpt('a\u001b]0;t\u0007')).toBe('"a\\u001b]0;t\\u0007"');
  });

  it('a cut never splits a surrogate pair', () => {
    expect(cut(`${'x'.repeat(39)}😀tail`, 40)).toBe(`${'x'.repeat(39)}…`);
  });

  it('a parser message keeps its first line only: the yaml library prints a code frame of the source below it', () => {
    expect(parserMessage('Implicit keys need to be on a single line at line 1, column 1:\n\nroot:x:0:0\n^')).toBe('Implicit keys need to be on a single line at line 1, column 1:');
  });

  it('a parser message cuts each word it quotes to 40 characters, and the whole to 120', () => {
    const token = 'k'.repeat(64);
    expect(parserMessage(`Unresolved alias (the anchor must be set before the alias): ${token}`)).toBe(`Unresolved alias (the anchor must be set before the alias): ${'k'.repeat(40)}…`);
    expect(parserMessage('word '.repeat(40)).length).toBe(121);
  });
});
