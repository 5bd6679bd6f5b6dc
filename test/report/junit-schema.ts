/**
 * A structural check of JUnit XML against the Jenkins xunit-plugin schema junit-10.xsd
 * (jenkinsci/xunit-plugin: src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd),
 * written out by hand: which elements exist, which attributes each allows or requires, which children
 * each may hold, and which may hold text. Plus XML well-formedness for what our writer emits.
 */

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

interface ElementRule {
  readonly attributes: readonly string[];
  readonly required: readonly string[];
  readonly children: readonly string[];
  readonly text: boolean;
}

const RESULT = { attributes: ['type', 'message'], required: [], children: [], text: true };
const RERUN = { attributes: ['type', 'message'], required: [], children: ['system-out', 'system-err'], text: true };

/** junit-10.xsd, element by element. */
const SCHEMA: Readonly<Record<string, ElementRule>> = {
  failure: RESULT,
  error: RESULT,
  skipped: RESULT,
  properties: { attributes: [], required: [], children: ['property'], text: false },
  property: { attributes: ['name', 'value'], required: ['name', 'value'], children: [], text: false },
  'system-err': { attributes: [], required: [], children: [], text: true },
  'system-out': { attributes: [], required: [], children: [], text: true },
  rerunFailure: RERUN,
  rerunError: RERUN,
  testcase: {
    attributes: ['name', 'assertions', 'time', 'timestamp', 'classname', 'status', 'class', 'file', 'line', 'log', 'group', 'url'],
    required: ['name'],
    children: ['skipped', 'error', 'failure', 'rerunFailure', 'rerunError', 'system-out', 'system-err'],
    text: false,
  },
  testsuite: {
    attributes: ['name', 'tests', 'failures', 'errors', 'time', 'disabled', 'skipped', 'skips', 'timestamp', 'hostname', 'id', 'package', 'assertions', 'file', 'skip', 'log', 'url'],
    required: ['tests'],
    children: ['testsuite', 'properties', 'testcase', 'system-out', 'system-err'],
    text: false,
  },
  testsuites: {
    attributes: ['name', 'time', 'tests', 'failures', 'disabled', 'errors'],
    required: [],
    children: ['testsuite'],
    text: false,
  },
};

/** Problems with the document; empty when it is well-formed and valid against junit-10.xsd. */
export function validateJunit(xml: string): string[] {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    return [(e as Error).message];
  }
  const problems: string[] = [];
  if (root.name !== 'testsuites' && root.name !== 'testsuite') problems.push(`root element <${root.name}> is neither testsuites nor testsuite`);
  check(root, problems);
  return problems;
}

function check(el: XmlElement, problems: string[]): void {
  const rule = SCHEMA[el.name];
  if (!rule) {
    problems.push(`<${el.name}> is not a JUnit element`);
    return;
  }
  for (const a of Object.keys(el.attributes)) if (!rule.attributes.includes(a)) problems.push(`<${el.name}> has attribute ${a}, which the schema does not allow`);
  for (const a of rule.required) if (!(a in el.attributes)) problems.push(`<${el.name}> lacks required attribute ${a}`);
  if (!rule.text && el.text.trim() !== '') problems.push(`<${el.name}> holds text, which the schema does not allow`);
  for (const child of el.children) {
    if (!rule.children.includes(child.name)) problems.push(`<${el.name}> may not contain <${child.name}>`);
    check(child, problems);
  }
}

const NAME = '[A-Za-z_][\\w.-]*';
const ATTR = new RegExp(`\\s+(${NAME})="([^"<]*)"`, 'gy');

/** A small XML parser for what a JUnit writer emits: prolog, elements, attributes, text, entity references. */
export function parseXml(xml: string): XmlElement {
  let pos = 0;
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(xml);
  if (!prolog) throw new Error('missing <?xml version="1.0" encoding="UTF-8"?> prolog');
  pos = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const text = xml.slice(pos, lt < 0 ? xml.length : lt);
    checkText(text);
    if (stack.length > 0) (stack[stack.length - 1] as XmlElement).text += decode(text);
    else if (text.trim() !== '') throw new Error(`text outside the root element: ${text.trim().slice(0, 30)}`);
    if (lt < 0) break;
    pos = lt;
    if (xml.startsWith('</', pos)) {
      const m = new RegExp(`</(${NAME})\\s*>`, 'y');
      m.lastIndex = pos;
      const close = m.exec(xml);
      const open = stack.pop();
      if (!close || !open || open.name !== close[1]) throw new Error(`mismatched closing tag at ${pos}`);
      pos = m.lastIndex;
      continue;
    }
    const tag = new RegExp(`<(${NAME})`, 'y');
    tag.lastIndex = pos + 0;
    const m = tag.exec(xml);
    if (!m) throw new Error(`bad tag at ${pos}: ${xml.slice(pos, pos + 20)}`);
    pos = tag.lastIndex;
    const el: XmlElement = { name: m[1] as string, attributes: {}, children: [], text: '' };
    ATTR.lastIndex = pos;
    for (let a = ATTR.exec(xml); a; a = ATTR.exec(xml)) {
      if ((a[1] as string) in el.attributes) throw new Error(`duplicate attribute ${a[1]} on <${el.name}>`);
      checkText(a[2] as string);
      el.attributes[a[1] as string] = decode(a[2] as string);
      pos = ATTR.lastIndex;
    }
    const end = /\s*(\/?)>/y;
    end.lastIndex = pos;
    const e = end.exec(xml);
    if (!e) throw new Error(`unterminated tag <${el.name}> at ${pos}`);
    pos = end.lastIndex;
    if (stack.length > 0) (stack[stack.length - 1] as XmlElement).children.push(el);
    else if (root) throw new Error('more than one root element');
    else root = el;
    if (e[1] !== '/') stack.push(el);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

function checkText(text: string): void {
  if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(text)) throw new Error(`unescaped & in ${text.slice(0, 40)}`);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(text)) throw new Error('a character XML 1.0 forbids');
  if (text.includes('>') && text.includes(']]>')) throw new Error(']]> in text');
}

function decode(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) =>
    e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e] as string);
}
