import fc from 'fast-check';

/**
 * Values a hostile or broken file puts where a field belongs, in the spirit of Wireshark's randpkt:
 * wrong types, huge and deep values, control characters and names no API server would take.
 */

/** Every C0 control, DEL, C1 controls, and the Unicode line and direction breakers. */
const CONTROLS = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\u202e', '\ufeff'];

export const controlCharacter: fc.Arbitrary<string> = fc.constantFrom(...CONTROLS);

/** Names and strings that have broken parsers and terminals before. */
const NOTORIOUS = [
  '', ' ', '-', '---', '...', '~', 'null', 'true', 'NaN', '0x1f', '1e400', '&a', '*a', '!!binary', '%YAML 1.2', '<<', '? x', '#',
  '../../etc/passwd', '/dev/zero', 'C:\\con', 'a/b', 'ns/', '/name', '\u001b]0;owned\u0007', '\u001b[2J', 'x\nALLOW forged line',
  '"', "'", '{', '[', '}', ']', ':', 'a: b', '- x', '${HOME}', '\\u0000', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NOTORIOUS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.oneof(controlCharacter, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join('')),
  fc.record({ c: fc.constantFrom('a', 'x'.repeat(7), '\u0000', 'é'), n: fc.constantFrom(64, 254, 4096, 20_000) }).map(({ c, n }) => c.repeat(n)),
);

/** Nesting `depth` levels deep, as lists or mappings. */
export function nested(depth: number, asList: boolean): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = asList ? [value] : { a: value };
  return value;
}

const deepValue: fc.Arbitrary<unknown> = fc.record({ depth: fc.constantFrom(2, 50, 199, 201, 300), asList: fc.boolean() }).map(({ depth, asList }) => nested(depth, asList));

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(), fc.double(), fc.constantFrom(0, -1, 65535, 65536, 2 ** 31, 2 ** 53 + 1, -0), fc.boolean(), fc.constant(null), hostileString,
);

/** A value of any type, big or deep or small; what a wrong-typed field holds. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 2, arbitrary: fc.array(scalar, { maxLength: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(hostileString, scalar, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.array(fc.constant('x'), { minLength: 100, maxLength: 800 }) },
  { weight: 1, arbitrary: deepValue },
);
