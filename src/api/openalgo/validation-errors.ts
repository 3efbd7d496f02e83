// OpenAlgo v1 validation errors: Ajv errors → marshmallow-style `{field: [messages]}`, rendered as OpenAlgo
// renders them (a Python-repr string on order endpoints, a JSON object on data endpoints), plus the Fastify glue.
import type { FastifyReply, FastifyRequest, FastifySchemaValidationError, FastifyServerOptions } from 'fastify';
import { NUMBER_TEXT_KEYWORD, numberTextKeyword } from '../number-text.js';

/**
 * `order`: message is `str(dict)` as Python prints it; `data`: message is the JSON object (reference §1.4);
 * `{summary}`: message is the summary and the JSON object goes in `errors` (the greeks and option endpoints).
 */
export type ValidationStyle = 'order' | 'data' | SummarizedStyle;

/** `{"status":"error","message":<summary>,"errors":{field: [messages]}}`, e.g. summary `Validation failed`. */
export interface SummarizedStyle {
  summary: string;
}

/** The 400 body of a validation failure; `errors` only in a summarized style. */
export interface ValidationErrorBody {
  status: 'error';
  message: string | FieldErrors;
  errors?: FieldErrors;
}

/** A marshmallow error map in JSON form: field → messages, or field → nested map for nested objects and lists. */
export interface FieldErrors {
  [field: string]: string[] | FieldErrors;
}

/** The subset of an Ajv error this module reads; Fastify's `error.validation` items fit it. */
export interface ValidationIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  schemaPath?: string;
  message?: string;
  /** Present when Ajv runs with `verbose: true`; otherwise the schema is found through `schemaPath`. */
  parentSchema?: unknown;
}

/** Schema annotation: replaces the message of the field's rule keywords (range, length, enum, pattern), as
 * marshmallow's `validate.Range(..., error=...)` does. Type, required and unknown-field messages keep theirs. */
export const ERROR_MESSAGE_KEYWORD = 'x-error-message';

type AjvCustomOptions = NonNullable<NonNullable<FastifyServerOptions['ajv']>['customOptions']>;

/** Schema keyword of the v1 validators (request-validation.ts): a property or item sent as null that its schema does not
 * admit is refused, with marshmallow's "Field may not be null.". */
export const NULL_CHECK_KEYWORD = 'x-null-check';

/**
 * Ajv options of the root Fastify instance (`Fastify({ ajv: { customOptions: OPENALGO_AJV_OPTIONS } })`), which the
 * native API validates with, and the base of the v1 dialect's own validators (request-validation.ts, which adds
 * `allErrors` and the null check): numbers read as marshmallow reads them (objects marked with NUMBER_TEXT_KEYWORD
 * `python` parse their numeric fields with Python's float()/int() before Ajv's own coercion could take "0x10" for 16),
 * unknown fields reported rather than silently removed, defaults filled before the handler runs (the request types rely
 * on it), the custom-message keyword, and `verbose` so each error carries the schema it failed (custom messages and
 * range bounds are read there).
 *
 * Coercion makes the dialect a little more lenient than marshmallow, deliberately: numbers and booleans are accepted
 * for string fields (`"orderid": 123` → "123") where marshmallow answers "Not a valid string.". In the other
 * direction, `"disclosed_quantity": 1.5` is refused ("Not a valid integer.") where marshmallow silently truncates it
 * to 1.
 */
export const OPENALGO_AJV_OPTIONS: AjvCustomOptions = {
  coerceTypes: true,
  removeAdditional: false,
  useDefaults: true,
  allErrors: false,
  verbose: true,
  keywords: [ERROR_MESSAGE_KEYWORD, numberTextKeyword],
};

/** The error list of a request whose body is not a JSON object (array, string, null, empty or malformed). */
export const INVALID_INPUT: readonly ValidationIssue[] = [
  { instancePath: '', schemaPath: '#/type', keyword: 'type', params: { type: 'object' } },
];

/**
 * The `message` of OpenAlgo's 400 answer for these validation errors. Custom messages and range bounds are
 * read from each error's `parentSchema` (Ajv `verbose`) or, failing that, by walking `schemaPath` in `schema`
 * (the validated schema), which also gives marshmallow's field order; with neither, marshmallow's default
 * messages and the errors' own order are used.
 */
export function validationMessage(
  errors: readonly ValidationIssue[],
  style: ValidationStyle,
  schema?: unknown,
): string | FieldErrors {
  const tree = collectFieldErrors(errors, schema);
  return style === 'order' ? pythonRepr(tree) : toJsonErrors(tree);
}

/** The message for one field-level failure found after schema validation (e.g. a fractional quantity). */
export function fieldErrorMessage(field: string, message: string, style: ValidationStyle): string | FieldErrors {
  const tree: ErrorTree = new Map([[field, [message]]]);
  return style === 'order' ? pythonRepr(tree) : toJsonErrors(tree);
}

/** The whole 400 body: `{status: 'error', message}` (and `errors` in a summarized style). */
export function validationErrorBody(
  errors: readonly ValidationIssue[],
  style: ValidationStyle,
  schema?: unknown,
): ValidationErrorBody {
  if (typeof style === 'object') {
    return { status: 'error', message: style.summary, errors: toJsonErrors(collectFieldErrors(errors, schema)) };
  }
  return { status: 'error', message: validationMessage(errors, style, schema) };
}

export type ValidationStyleChoice = ValidationStyle | ((request: FastifyRequest) => ValidationStyle);
export type FallbackErrorHandler = (error: unknown, request: FastifyRequest, reply: FastifyReply) => unknown;

/**
 * A Fastify error handler (for `setErrorHandler` in the OpenAlgo plugin's scope) that answers schema
 * failures and unparsable bodies with OpenAlgo's 400. Any other error goes to `fallback`, or, without one,
 * is rethrown so the parent scope's error handler deals with it.
 */
export function openAlgoErrorHandler(style: ValidationStyleChoice, fallback?: FallbackErrorHandler) {
  return function handleOpenAlgoError(error: unknown, request: FastifyRequest, reply: FastifyReply): unknown {
    const body = requestValidationBody(error, request, typeof style === 'function' ? style(request) : style);
    if (body) return reply.code(400).send(body);
    if (fallback) return fallback(error, request, reply);
    throw error;
  };
}

/** OpenAlgo's 400 body for a Fastify validation or body-parse error, or undefined for any other error. */
export function requestValidationBody(
  error: unknown,
  request: FastifyRequest,
  style: ValidationStyle,
): ValidationErrorBody | undefined {
  if (!isRecord(error)) return undefined;
  if (typeof error.code === 'string' && UNPARSABLE_BODY_CODES.has(error.code)) {
    return validationErrorBody(INVALID_INPUT, style);
  }
  if (!Array.isArray(error.validation)) return undefined;
  const issues = error.validation as FastifySchemaValidationError[];
  const context = typeof error.validationContext === 'string' ? error.validationContext : 'body';
  const routeSchema: unknown = request.routeOptions.schema;
  const schema = isRecord(routeSchema) ? routeSchema[context] : undefined;
  return validationErrorBody(issues, style, schema);
}

/** Fastify's codes for an empty or malformed JSON body. OpenAlgo answers those 500 (Flask's BadRequest lands in
 * its catch-all); here they get the 400 marshmallow gives any body that is not a dict. */
const UNPARSABLE_BODY_CODES: ReadonlySet<string> = new Set(['FST_ERR_CTP_EMPTY_JSON_BODY', 'FST_ERR_CTP_INVALID_JSON_BODY']);

// ---------------------------------------------------------------------------------------------------------
// Keyword → message table: marshmallow 3's default messages, one entry per Ajv keyword.

type PathKey = string | number;
/** Field errors keyed as Python would key them: property names as strings, list positions as ints. */
type ErrorTree = Map<PathKey, string[] | ErrorTree>;
type SchemaNode = Record<string, unknown>;

interface KeywordRule {
  /** Where the message goes, relative to the failing value's path (default: the value itself). */
  at?: (issue: ValidationIssue) => PathKey[];
  message: (issue: ValidationIssue, fieldSchema: SchemaNode | undefined) => string;
  /** A rule keyword (a marshmallow validator): the field's ERROR_MESSAGE_KEYWORD replaces its message. */
  rule?: boolean;
}

const INVALID_VALUE = 'Invalid value.';
const NOT_NULL = 'Field may not be null.';

const TYPE_MESSAGES: Readonly<Record<string, string>> = {
  number: 'Not a valid number.',
  integer: 'Not a valid integer.',
  string: 'Not a valid string.',
  boolean: 'Not a valid boolean.',
  array: 'Not a valid list.',
  object: 'Invalid input type.',
};

const rangeRule: KeywordRule = { rule: true, message: rangeMessage };
const lengthRule: KeywordRule = { rule: true, message: lengthMessage };

const KEYWORD_RULES: Readonly<Record<string, KeywordRule>> = {
  required: { at: (issue) => [String(issue.params.missingProperty)], message: () => 'Missing data for required field.' },
  additionalProperties: { at: (issue) => [String(issue.params.additionalProperty)], message: () => 'Unknown field.' },
  // A value that should be an object is reported on the object itself, under `_schema`.
  type: {
    at: (issue) => (firstType(issue) === 'object' ? ['_schema'] : []),
    message: (issue) => TYPE_MESSAGES[firstType(issue)] ?? INVALID_VALUE,
  },
  [NUMBER_TEXT_KEYWORD]: { message: numberTextMessage },
  [NULL_CHECK_KEYWORD]: { message: () => NOT_NULL },
  enum: {
    rule: true,
    message: (issue) => `Must be one of: ${asArray(issue.params.allowedValues).map(pythonText).join(', ')}.`,
  },
  const: { rule: true, message: (issue) => `Must be equal to ${pythonText(issue.params.allowedValue)}.` },
  minimum: rangeRule,
  maximum: rangeRule,
  exclusiveMinimum: rangeRule,
  exclusiveMaximum: rangeRule,
  minLength: lengthRule,
  maxLength: lengthRule,
  minItems: lengthRule,
  maxItems: lengthRule,
  pattern: { rule: true, message: () => 'String does not match expected pattern.' },
};

const DEFAULT_RULE: KeywordRule = { rule: true, message: () => INVALID_VALUE };

/** marshmallow's Float and Integer: a value float()/int() cannot read, None, or (Float only) nan and infinity. */
function numberTextMessage(issue: ValidationIssue): string {
  if (issue.params.failure === 'null') return NOT_NULL;
  if (issue.params.failure === 'special') return 'Special numeric values (nan or infinity) are not permitted.';
  return TYPE_MESSAGES[String(issue.params.type)] ?? INVALID_VALUE;
}

/** marshmallow `Range`: "Must be greater than or equal to 0." / "... and less than 10." when both bounds exist. */
function rangeMessage(issue: ValidationIssue, fieldSchema: SchemaNode | undefined): string {
  const lower = bound(fieldSchema, 'minimum', 'exclusiveMinimum');
  const upper = bound(fieldSchema, 'maximum', 'exclusiveMaximum');
  if (lower && upper) return `Must be ${lower} and ${upper}.`;
  const comparison = String(issue.params.comparison);
  const words = COMPARISON_WORDS[comparison] ?? comparison;
  return `Must be ${words} ${pythonText(issue.params.limit)}.`;
}

const COMPARISON_WORDS: Readonly<Record<string, string>> = {
  '>=': 'greater than or equal to',
  '>': 'greater than',
  '<=': 'less than or equal to',
  '<': 'less than',
};

function bound(schema: SchemaNode | undefined, inclusive: string, exclusive: string): string | undefined {
  if (!schema) return undefined;
  const upper = inclusive === 'maximum';
  if (typeof schema[inclusive] === 'number') {
    return `${upper ? 'less than or equal to' : 'greater than or equal to'} ${pythonText(schema[inclusive])}`;
  }
  if (typeof schema[exclusive] === 'number') {
    return `${upper ? 'less than' : 'greater than'} ${pythonText(schema[exclusive])}`;
  }
  return undefined;
}

/** marshmallow `Length`: "Length must be between 1 and 256." / "Shorter than minimum length 1." / "Longer than ...". */
function lengthMessage(issue: ValidationIssue, fieldSchema: SchemaNode | undefined): string {
  const min = fieldSchema?.minLength ?? fieldSchema?.minItems;
  const max = fieldSchema?.maxLength ?? fieldSchema?.maxItems;
  if (typeof min === 'number' && typeof max === 'number') return `Length must be between ${min} and ${max}.`;
  const limit = pythonText(issue.params.limit);
  return issue.keyword.startsWith('min') ? `Shorter than minimum length ${limit}.` : `Longer than maximum length ${limit}.`;
}

function firstType(issue: ValidationIssue): string {
  const type = issue.params.type;
  const names = Array.isArray(type) ? type.map(String) : String(type).split(',');
  return names[0] ?? '';
}

// ---------------------------------------------------------------------------------------------------------
// Collecting errors into marshmallow's shape.

function collectFieldErrors(errors: readonly ValidationIssue[], givenSchema: unknown): ErrorTree {
  const schema = givenSchema ?? rootSchemaOf(errors);
  const tree: ErrorTree = new Map();
  for (const issue of asMarshmallowReports(withoutBranchNoise(errors))) {
    const rule = KEYWORD_RULES[issue.keyword] ?? DEFAULT_RULE;
    const fieldSchema = schemaOfIssue(issue, schema);
    const custom = rule.rule ? fieldSchema?.[ERROR_MESSAGE_KEYWORD] : undefined;
    const message = typeof custom === 'string' ? custom : rule.message(issue, fieldSchema);
    addMessage(tree, [...instanceKeys(issue.instancePath), ...(rule.at?.(issue) ?? [])], message);
  }
  return orderLikeMarshmallow(tree, schema);
}

/** Keywords that fail a value before any rule is checked: marshmallow's deserialization errors (null, wrong type). */
const DESERIALIZATION_KEYWORDS: ReadonlySet<string> = new Set([NULL_CHECK_KEYWORD, NUMBER_TEXT_KEYWORD, 'type']);

/**
 * The issues marshmallow would report of these: a field that cannot be deserialized gets that one message, not its
 * rules' (Ajv checks `enum` on a value of the wrong type too), and a null field nothing else at all, not even about
 * what it would have held.
 */
function asMarshmallowReports(errors: readonly ValidationIssue[]): readonly ValidationIssue[] {
  const failed = new Map<string, ValidationIssue>();
  for (const issue of errors) {
    if (!DESERIALIZATION_KEYWORDS.has(issue.keyword)) continue;
    const earlier = failed.get(issue.instancePath);
    if (!earlier || (isNullIssue(issue) && !isNullIssue(earlier))) failed.set(issue.instancePath, issue);
  }
  if (failed.size === 0) return errors;
  const nulls = [...failed.values()].filter(isNullIssue).map((issue) => issue.instancePath);
  return errors.filter((issue) => {
    const first = failed.get(issue.instancePath);
    if (first) return issue === first;
    return !nulls.some((path) => issue.instancePath.startsWith(`${path}/`));
  });
}

function isNullIssue(issue: ValidationIssue): boolean {
  return issue.keyword === NULL_CHECK_KEYWORD || (issue.keyword === NUMBER_TEXT_KEYWORD && issue.params.failure === 'null');
}

/** With `verbose`, an error about the body itself (missing or unknown field) carries the body's schema. */
function rootSchemaOf(errors: readonly ValidationIssue[]): unknown {
  return errors.find((issue) => issue.instancePath === '' && isRecord(issue.parentSchema))?.parentSchema;
}

/** anyOf/oneOf report every failed branch before themselves; keep only their own "Invalid value.". */
function withoutBranchNoise(errors: readonly ValidationIssue[]): readonly ValidationIssue[] {
  const branches = errors
    .filter((issue) => (issue.keyword === 'anyOf' || issue.keyword === 'oneOf') && issue.schemaPath)
    .map((issue) => `${issue.schemaPath}/`);
  if (branches.length === 0) return errors;
  return errors.filter((issue) => !branches.some((prefix) => issue.schemaPath?.startsWith(prefix)));
}

function addMessage(tree: ErrorTree, path: readonly PathKey[], message: string): void {
  const keys = path.length > 0 ? path : ['_schema'];
  let node = tree;
  for (const key of keys.slice(0, -1)) {
    const child = node.get(key);
    if (Array.isArray(child)) return; // the container already failed as a whole; marshmallow stops there too
    const next: ErrorTree = child ?? new Map();
    node.set(key, next);
    node = next;
  }
  const leafKey = keys[keys.length - 1] ?? '_schema';
  const leaf = node.get(leafKey);
  if (leaf instanceof Map) return;
  const messages = leaf ?? [];
  if (!messages.includes(message)) messages.push(message);
  node.set(leafKey, messages);
}

/** Ajv instance paths are JSON pointers; numeric segments are list positions (Python int keys). */
function instanceKeys(instancePath: string): PathKey[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => {
      const key = unescapePointer(segment);
      return /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key;
    });
}

/** The schema holding the failing keyword: Ajv's `parentSchema` if verbose, else `schemaPath` walked in `root`. */
function schemaOfIssue(issue: ValidationIssue, root: unknown): SchemaNode | undefined {
  if (isRecord(issue.parentSchema)) return issue.parentSchema;
  if (!issue.schemaPath?.startsWith('#') || !isRecord(root)) return undefined;
  const segments = issue.schemaPath.split('/').slice(1, -1);
  let node: unknown = root;
  for (const segment of segments) {
    if (!isRecord(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[unescapePointer(decodeURIComponent(segment))];
  }
  return isRecord(node) ? node : undefined;
}

/** marshmallow reports `_schema` first, then fields in declaration order, then unknown fields. */
function orderLikeMarshmallow(tree: ErrorTree, schema: unknown): ErrorTree {
  const declared = isRecord(schema) && isRecord(schema.properties) ? Object.keys(schema.properties) : [];
  const entries = [...tree.entries()];
  const rank = (key: PathKey, arrival: number): number => {
    if (key === '_schema') return -1;
    if (typeof key === 'number') return key;
    const position = declared.indexOf(key);
    return position >= 0 ? position : declared.length + arrival;
  };
  const ranked = entries.map(([key, value], arrival) => ({ key, value, rank: rank(key, arrival) }));
  ranked.sort((a, b) => a.rank - b.rank);
  return new Map(
    ranked.map(({ key, value }) => [key, value instanceof Map ? orderLikeMarshmallow(value, childSchema(schema, key)) : value]),
  );
}

function childSchema(schema: unknown, key: PathKey): unknown {
  if (!isRecord(schema)) return undefined;
  if (typeof key === 'number') return schema.items;
  return isRecord(schema.properties) ? schema.properties[key] : undefined;
}

/** Flask's `jsonify` sorts keys (`sort_keys=True`), so the data-endpoint object arrives sorted. */
function toJsonErrors(tree: ErrorTree): FieldErrors {
  const entries = [...tree.entries()].sort(([a], [b]) => compareKeys(a, b));
  return Object.fromEntries(
    entries.map(([key, value]) => [String(key), value instanceof Map ? toJsonErrors(value) : [...value]]),
  );
}

function compareKeys(a: PathKey, b: PathKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------
// Python's repr.

/** A value `pythonRepr` can print: JSON-like data, with Maps for dicts whose keys may be ints. */
export type PythonValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | readonly PythonValue[]
  | ReadonlyMap<string | number, PythonValue>
  | { readonly [key: string]: PythonValue };

/**
 * `repr()` as CPython 3 prints it: `{'quantity': ['Missing data for required field.']}`. Strings are
 * single-quoted unless they contain `'` and no `"`; integral numbers print as ints; null is `None`.
 */
export function pythonRepr(value: PythonValue): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return reprString(value);
  if (typeof value === 'number') return reprNumber(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (isReadonlyArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  const entries: [string | number, PythonValue][] =
    value instanceof Map ? [...value.entries()] : Object.entries(value);
  return `{${entries.map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`;
}

function isReadonlyArray(value: unknown): value is readonly PythonValue[] {
  return Array.isArray(value);
}

/** `str()` of a scalar, for values interpolated into a message (`Must be one of: BUY, SELL.`). */
function pythonText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return reprNumber(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return pythonRepr(value);
  return String(value);
}

function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  // Printable ASCII (every message and most field names) needs only its quote and backslashes escaped.
  if (PRINTABLE_ASCII.test(text)) return quote + text.replace(quote === "'" ? /['\\]/g : /["\\]/g, '\\$&') + quote;
  let out = quote;
  for (const char of text) {
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char === ' ' || !NON_PRINTABLE.test(char)) out += char;
    else out += escapeCodePoint(char.codePointAt(0) ?? 0);
  }
  return out + quote;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Python's `str.isprintable()` is false for these categories (space excepted). */
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

function escapeCodePoint(codePoint: number): string {
  const hex = codePoint.toString(16);
  if (codePoint < 0x100) return `\\x${hex.padStart(2, '0')}`;
  if (codePoint < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

function reprNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value)) return BigInt(value).toString();
  // float repr: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16, two-digit exponent.
  const [mantissa = '', exponentText = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) return String(value);
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
