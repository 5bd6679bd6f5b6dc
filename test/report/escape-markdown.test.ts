import { describe, expect, it } from 'vitest';
import { markdownCode, markdownText } from '../../src/report/escape-markdown.js';

// CommonMark 0.31 section 2.4 (backslash escapes): any ASCII punctuation may be escaped with a backslash
// and is then a literal character; GFM adds `~` strikethrough and `|` table cells.
describe('markdownText() keeps a value literal in a markdown table or list', () => {
  it.each([
    ['*bold*', '\\*bold\\*'],
    ['_italic_', '\\_italic\\_'],
    ['~~struck~~', '\\~\\~struck\\~\\~'],
    ['a|b', 'a\\|b'],
    ['[link](http://x)', '\\[link\\](http://x)'],
    ['`code`', '\\`code\\`'],
    ['<b>&amp;', '&lt;b&gt;&amp;amp;'],
    // Plain text shows a backslash doubled (escape-text.ts, so `\x1b` is unambiguous); markdown escapes both.
    ['back\\slash', 'back\\\\\\\\slash'],
    ['payments/api-7d9f', 'payments/api-7d9f'],
  ])('%s is written %s', (value, written) => {
    expect(markdownText(value)).toBe(written);
  });

  it('inline code keeps its span closed and its table cell whole', () => {
    expect(markdownCode('a`b|c')).toBe('`aʼb\\|c`');
  });
});
