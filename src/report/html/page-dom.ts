import type { PageData, PageView } from './page-data.js';

/**
 * The part of the browser's DOM the report page uses (types only). The page's functions are written
 * against these instead of the DOM library, so the report layer compiles without browser globals:
 * the page receives `window` as an argument.
 */

export interface PageEvent {
  readonly target: PageElement | null;
  readonly key?: string;
  readonly deltaY?: number;
  readonly clientX?: number;
  readonly clientY?: number;
  preventDefault(): void;
}

export interface PageElement {
  textContent: string | null;
  value: string;
  scrollTop: number;
  scrollLeft: number;
  readonly clientHeight: number;
  readonly clientWidth: number;
  readonly style: Record<string, string>;
  readonly dataset: Record<string, string | undefined>;
  readonly classList: { toggle(name: string, on?: boolean): boolean; add(name: string): void };
  setAttribute(name: string, value: string): void;
  appendChild(child: PageElement): PageElement;
  replaceChildren(...children: PageElement[]): void;
  addEventListener(type: string, listener: (event: PageEvent) => void, options?: { passive?: boolean }): void;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  closest(selector: string): PageElement | null;
}

export interface PageDocument {
  title: string;
  readonly body: PageElement;
  createElement(tag: string): PageElement;
  createElementNS(namespace: string, tag: string): PageElement;
  getElementById(id: string): PageElement | null;
}

export interface PageWindow {
  readonly document: PageDocument;
  requestAnimationFrame(callback: () => void): number;
  /** Set by the page: what tests and users may read (the state after the last filter). */
  ambientBench?: unknown;
}

/** A view as the page holds it: its classes expanded (page-expand.ts) to CLASS_WIDTH numbers each. */
export type ShownView = Omit<PageView, 'classes'> & { readonly classes: Int32Array };

/** What every part of the page shares: the data, the view shown, the filter and the element builders. */
export interface PageContext {
  readonly win: PageWindow;
  readonly doc: PageDocument;
  readonly data: PageData;
  view: ShownView;
  /** The string at an index of the string table ('' for -1). */
  readonly text: (index: number) => string;
  /** An HTML element with a class and text (set as textContent). */
  readonly el: (tag: string, className?: string, text?: string) => PageElement;
  /** An SVG element with attributes. */
  readonly svg: (tag: string, attributes: Record<string, string | number>) => PageElement;
  /** Indices of the flows the filters let through, in flow order. */
  shown: Int32Array;
  /** Called after the filter changed: the table and the graph redraw. */
  readonly listeners: (() => void)[];
  /** Shows one flow's explanation. */
  select: (flow: number) => void;
  /** Restricts the table to one graph edge (-1: every edge). */
  edge: number;
  /** Runs the filters again. */
  refilter: () => void;
}
