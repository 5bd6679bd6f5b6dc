import type { PageData } from './page-data.js';
import { deltaEncodeData } from './delta-columns.js';
import { pageDecode } from './page-decode.js';
import { pageExpand } from './page-expand.js';
import { pageExplanation } from './page-explanation.js';
import { pageFilters } from './page-filters.js';
import { pageGraph } from './page-graph.js';
import { pageMain } from './page-main.js';
import { pagePanels } from './page-panels.js';
import { PAGE_STYLE } from './page-style.js';
import { pageTable } from './page-table.js';

/** The page's functions, whose sources make up its script (each stands alone: it uses only its arguments). */
const PAGE_FUNCTIONS = [pageMain, pageDecode, pageExpand, pageFilters, pageTable, pageGraph, pageExplanation, pagePanels];

/** Characters that may not appear as themselves in JSON inside a <script>: markup, and JavaScript's line separators. */
const UNSAFE_IN_SCRIPT = /[<>&\u2028\u2029]/g;

/**
 * JSON that can sit inside a <script> element: `<`, `>` and `&` as \\u escapes, so no `</script>` or
 * `<!--` can close or change it, and U+2028/U+2029 escaped too. JSON.parse reads it back unchanged.
 */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_SCRIPT, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The script that draws the page: the page's functions, then the call of pageMain with the embedded data. */
export function pageScript(): string {
  const sources = PAGE_FUNCTIONS.map((f) => f.toString());
  // A build that keeps function names through a helper (esbuild's keepNames) calls __name; it is harmless here.
  const script = [
    '"use strict";',
    'var __name = function (f) { return f; };',
    ...sources,
    'pageMain(window, JSON.parse(document.getElementById("report-data").textContent), { decode: pageDecode, expand: pageExpand, filters: pageFilters, table: pageTable, graph: pageGraph, explanation: pageExplanation, panels: pagePanels });',
  ].join('\n');
  if (/<\/script|<!--|<script/i.test(script)) throw new Error('the page script contains markup that would end its <script> element');
  return script;
}

/**
 * The whole report: one HTML file with its style, data and script inline, nothing fetched. The markup
 * carries no data: the title and everything else are set from the JSON by the script, as text.
 */
export function htmlDocument(data: PageData): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may be loaded from anywhere: the file is read from disk or as a CI attachment.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    '<title>ambient-bench report</title>',
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main id="report"><noscript>This report draws itself with JavaScript; open it in a browser with scripts enabled.</noscript></main>',
    `<script type="application/json" id="report-data">${scriptSafeJson(deltaEncodeData(data))}</script>`,
    `<script>${pageScript()}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
