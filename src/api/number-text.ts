// How a dialect reads numbers sent as text: an Ajv keyword on an object that parses its numeric properties by the
// dialect's grammar before Ajv's own coercion sees them, and the grammars.
//
// Ajv's `coerceTypes` turns any string that JavaScript's `+value` reads into a number: "0x10" is 16, "0b11" is 3,
// "Infinity" is a number that then skips every range check, and `true` is 1. It coerces a property before any keyword
// of that property runs, so the text can only be read by a keyword of the object holding it, which runs first.

/** Object keyword: its numeric properties (`type` number or integer) sent as text are read by this grammar. */
export const NUMBER_TEXT_KEYWORD = 'x-number-text';

/**
 * `python`: as OpenAlgo's marshmallow reads them, Python's `float()` for numbers and `int()` for integers (blanks
 * around, a sign, `_` between digits, any script's decimal digits; `1e3` and `.5` for floats only); booleans, null
 * and infinities refused. `plain`: an optional sign and ASCII digits (with a decimal fraction for numbers); a value
 * beyond a double's range stands as the largest double of its sign, so the property's range check refuses it.
 */
export type NumberGrammar = 'python' | 'plain';

type NumericType = 'number' | 'integer';

/** Why a value was refused: not a number in the grammar, null where null is not allowed, or nan/infinity. */
export type NumberTextFailure = 'invalid' | 'null' | 'special';

/** One refused property, as an Ajv error: `params` say why, for dialects that word the message their own way. */
export interface NumberTextIssue {
  instancePath: string;
  keyword: typeof NUMBER_TEXT_KEYWORD;
  params: { type: NumericType; failure: NumberTextFailure };
  message: string;
  parentSchema: Record<string, unknown>;
}

interface ReadNumbers {
  (grammar: NumberGrammar, data: unknown, parentSchema?: Record<string, unknown>, context?: { instancePath: string }): boolean;
  errors?: NumberTextIssue[];
}

/**
 * Reads the object's numeric properties in place, named ones and the values of a record (`patternProperties`,
 * `additionalProperties`); reports every property it refuses.
 */
const readNumbers: ReadNumbers = (grammar, data, parentSchema, context) => {
  if (!isRecord(data) || !isRecord(parentSchema)) return true;
  const issues: NumberTextIssue[] = [];
  for (const key of Object.keys(data)) {
    const schema = memberSchema(parentSchema, key);
    const type = isRecord(schema) ? numericTypeOf(schema.type) : undefined;
    if (type === undefined || !isRecord(schema)) continue;
    const read = readValue(grammar, type, data[key], allowsNull(schema.type));
    if (typeof read === 'number') data[key] = read;
    else if (read !== undefined) {
      issues.push({
        instancePath: `${context?.instancePath ?? ''}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        keyword: NUMBER_TEXT_KEYWORD,
        params: { type, failure: read },
        message: FAILURE_MESSAGES[read](type),
        parentSchema: schema,
      });
    }
  }
  readNumbers.errors = issues;
  return issues.length === 0;
};

/** The schema `key` of an object is validated against: its property, else the first pattern it matches, else the rest's. */
function memberSchema(objectSchema: Record<string, unknown>, key: string): unknown {
  const { properties, patternProperties, additionalProperties } = objectSchema;
  if (isRecord(properties) && Object.hasOwn(properties, key)) return properties[key];
  if (isRecord(patternProperties)) {
    for (const [pattern, schema] of Object.entries(patternProperties)) if (new RegExp(pattern, 'u').test(key)) return schema;
  }
  return additionalProperties;
}

/** The keyword's definition, for Ajv's `keywords` option. */
export const numberTextKeyword = {
  keyword: NUMBER_TEXT_KEYWORD,
  schemaType: 'string',
  modifying: true,
  errors: true,
  validate: readNumbers,
} as const;

/** Ajv's own words, which the native API shows (`querystring/limit must be integer`). */
const FAILURE_MESSAGES: Readonly<Record<NumberTextFailure, (type: NumericType) => string>> = {
  invalid: (type) => `must be ${type}`,
  null: () => 'must not be null',
  special: () => 'must be finite',
};

/** The number a value stands for, a failure, or undefined to leave it as it is (null where allowed). */
function readValue(grammar: NumberGrammar, type: NumericType, value: unknown, nullable: boolean): number | NumberTextFailure | undefined {
  if (value === null) return nullable ? undefined : 'null';
  const number = typeof value === 'string' ? GRAMMARS[grammar](value, type) : typeof value === 'number' ? value : undefined;
  if (number === undefined) return 'invalid';
  if (Number.isFinite(number)) return number;
  // marshmallow: float('inf') parses, then Float refuses it as special; int() never gives one.
  return type === 'number' ? 'special' : 'invalid';
}

const GRAMMARS: Readonly<Record<NumberGrammar, (text: string, type: NumericType) => number | undefined>> = {
  python: (text, type) => (type === 'integer' ? pythonInt(text) : pythonFloat(text)),
  plain: (text, type) => plainNumber(text, type),
};

function numericTypeOf(type: unknown): NumericType | undefined {
  const types = Array.isArray(type) ? type : [type];
  if (types.includes('integer')) return 'integer';
  return types.includes('number') ? 'number' : undefined;
}

function allowsNull(type: unknown): boolean {
  return Array.isArray(type) && type.includes('null');
}

// ---------------------------------------------------------------------------------------------------------
// Python's float() and int() of a str (CPython 3.6+).

const DIGITS = String.raw`\d(?:_?\d)*`;
const PYTHON_INT = new RegExp(String.raw`^[+-]?${DIGITS}$`);
const PYTHON_FLOAT = new RegExp(String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const PYTHON_SPECIAL = /^([+-]?)(?:inf|infinity|(nan))$/i;
/** What Python strips around a number: str.isspace() characters outside ASCII, and ASCII's own six. */
const PYTHON_SPACE = /[ \t\n\v\f\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/g;
const NON_ASCII = /[\u0080-\u{10ffff}]/gu;

/** `float(text)`: NaN and ±Infinity for Python's special words; undefined where Python raises ValueError. */
export function pythonFloat(text: string): number | undefined {
  const ascii = asciiForm(text);
  const special = PYTHON_SPECIAL.exec(ascii);
  if (special) return special[2] ? Number.NaN : special[1] === '-' ? -Infinity : Infinity;
  return PYTHON_FLOAT.test(ascii) ? Number(ascii.replaceAll('_', '')) : undefined;
}

/** `int(text)` in base 10 (as the nearest double); undefined where Python raises ValueError. */
export function pythonInt(text: string): number | undefined {
  const ascii = asciiForm(text);
  return PYTHON_INT.test(ascii) ? Number(ascii.replaceAll('_', '')) : undefined;
}

/** CPython first turns every Unicode decimal digit into its ASCII digit and every space into ' ', then strips the
 * spaces (only those: a byte-order mark is not one, though JavaScript's trim() takes it for one). */
function asciiForm(text: string): string {
  const mapped = text.replace(PYTHON_SPACE, ' ').replace(NON_ASCII, (char) => {
    const value = decimalValue(char.codePointAt(0) ?? 0);
    return value === undefined ? char : String(value);
  });
  let start = 0;
  let end = mapped.length;
  while (start < end && mapped[start] === ' ') start += 1;
  while (end > start && mapped[end - 1] === ' ') end -= 1;
  return mapped.slice(start, end);
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;
const isDecimalDigit = (codePoint: number) => DECIMAL_DIGIT.test(String.fromCodePoint(codePoint));

/** Unicode lays out each script's digits as runs of ten, zero first, so a digit's value is its place in its run. */
function decimalValue(codePoint: number): number | undefined {
  if (!isDecimalDigit(codePoint)) return undefined;
  let place = 0;
  while (isDecimalDigit(codePoint - place - 1)) place += 1;
  return place % 10;
}

// ---------------------------------------------------------------------------------------------------------
// Plain decimal text.

const PLAIN_INTEGER = /^[+-]?\d+$/;
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;

function plainNumber(text: string, type: NumericType): number | undefined {
  if (!(type === 'integer' ? PLAIN_INTEGER : PLAIN_NUMBER).test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : Math.sign(number) * Number.MAX_VALUE;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
