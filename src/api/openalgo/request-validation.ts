// How the v1 dialect validates requests: as OpenAlgo's marshmallow schemas do, every failing field at once, null
// refused wherever the schema does not allow it, numbers read as Python reads them and booleans from marshmallow's
// words, in objects nested at any depth.
//
// The dialect has its own Ajv instances (the root's, which the native API uses, stop at the first error). A request is
// validated first by a validator that stops at its first error, so a valid request costs what it did; only a refused
// one is validated again, to list all its errors, and only when it is small enough: Ajv's allErrors walks every item of
// an array whatever its maxItems says, and a 1 MiB basket of `{}` legs made 1.4 million errors (260 MB, 1.4 s).
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { NUMBER_TEXT_KEYWORD } from '../number-text.js';
import { NULL_CHECK_KEYWORD, OPENALGO_AJV_OPTIONS } from './validation-errors.js';

/** A refused request whose body holds more values than this (objects, arrays and scalars at any depth, the defaults the
 * first pass filled in included) is answered with its first error only. A basket of a hundred full legs holds about a
 * thousand; listing the 4,000 errors of a thousand empty legs takes some 20 ms. */
export const FULL_REPORT_LIMIT = 1000;

interface NullIssue {
  instancePath: string;
  keyword: typeof NULL_CHECK_KEYWORD;
  params: Record<string, never>;
  message: string;
  parentSchema: Record<string, unknown>;
}

interface CheckNulls {
  (enabled: boolean, data: unknown, parentSchema?: Record<string, unknown>, context?: { instancePath: string }): boolean;
  errors?: NullIssue[];
}

/** NULL_CHECK_KEYWORD: a declared property (or an item) sent as `null` whose schema does not admit null is refused, as
 * marshmallow refuses None on a field without `allow_none`. An object keyword, so it runs before the properties are
 * coerced, where Ajv's `coerceTypes` would have made the null a `""`, `0` or `false`. */
const checkNulls: CheckNulls = (enabled, data, parentSchema, context) => {
  if (!enabled || !parentSchema) return true;
  const at = context?.instancePath ?? '';
  const issues: NullIssue[] = [];
  const refuse = (key: string | number, schema: Record<string, unknown>) =>
    issues.push({ instancePath: `${at}/${escapePointer(String(key))}`, keyword: NULL_CHECK_KEYWORD, params: {}, message: 'must not be null', parentSchema: schema });
  const { properties, items } = parentSchema;
  if (isRecord(data) && isRecord(properties)) {
    for (const [key, schema] of Object.entries(properties)) {
      if (isRecord(schema) && Object.hasOwn(data, key) && data[key] === null && !admitsNull(schema)) refuse(key, schema);
    }
  } else if (Array.isArray(data) && isRecord(items) && !admitsNull(items)) {
    data.forEach((item, index) => {
      if (item === null) refuse(index, items);
    });
  }
  checkNulls.errors = issues;
  return issues.length === 0;
};

export const nullCheckKeyword = {
  keyword: NULL_CHECK_KEYWORD,
  schemaType: 'boolean',
  errors: true,
  validate: checkNulls,
} as const;

/** Schema keyword of the v1 validators: an object's boolean properties sent as one of marshmallow's words for true or
 * false are read as that boolean. Ajv's own coercion, which runs later, knows only "true", "false", 1 and 0, and the
 * SDK passes `analyzertoggle(mode="True")` or `optionchain(with_greeks="yes")` through as given. Any other value is left
 * to the `type` check, which refuses it as marshmallow does ("Not a valid boolean."). */
export const BOOLEAN_TEXT_KEYWORD = 'x-boolean-text';

/** marshmallow's `fields.Boolean.truthy` and `.falsy`. */
const TRUTHY: ReadonlySet<unknown> = new Set(['t', 'T', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'y', 'Y', 'yes', 'Yes', 'YES', '1', 1]);
const FALSY: ReadonlySet<unknown> = new Set(['f', 'F', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF', 'n', 'N', 'no', 'No', 'NO', '0', 0]);

/** Reads the object's boolean properties in place; refuses nothing. An object keyword, so it runs before its properties
 * are checked. */
function readBooleans(enabled: boolean, data: unknown, parentSchema?: Record<string, unknown>): boolean {
  const properties = parentSchema?.properties;
  if (!enabled || !isRecord(data) || !isRecord(properties)) return true;
  for (const key of Object.keys(properties)) {
    if (!Object.hasOwn(data, key) || !isBooleanSchema(properties[key])) continue;
    if (TRUTHY.has(data[key])) data[key] = true;
    else if (FALSY.has(data[key])) data[key] = false;
  }
  return true;
}

export const booleanTextKeyword = {
  keyword: BOOLEAN_TEXT_KEYWORD,
  schemaType: 'boolean',
  modifying: true,
  validate: readBooleans,
} as const;

function isBooleanSchema(schema: unknown): boolean {
  if (!isRecord(schema)) return false;
  return Array.isArray(schema.type) ? schema.type.includes('boolean') : schema.type === 'boolean';
}

/** Whether a value of null can satisfy `schema`: a `type` naming null, a null enum or const member, a union branch that
 * admits it, or no restriction at all. */
export function admitsNull(schema: unknown): boolean {
  if (!isRecord(schema)) return true;
  if ('type' in schema && !(Array.isArray(schema.type) ? schema.type.includes('null') : schema.type === 'null')) return false;
  if ('const' in schema && schema.const !== null) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some(admitsNull)) return false;
  if (Array.isArray(schema.oneOf) && !schema.oneOf.some(admitsNull)) return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every(admitsNull)) return false;
  return true;
}

/**
 * The schema as the dialect validates it: every object reads its numbers with the `python` grammar (unless it names its
 * own) and its booleans from marshmallow's words, and refuses nulls, every array refuses null items, however deep. The
 * route's schema itself is left as it is (it is also the OpenAPI document).
 */
export function marshmallowReading(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(marshmallowReading);
  if (!isRecord(schema)) return schema;
  const copy: Record<string, unknown> = nullableForm(schema) ?? { ...schema };
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'anyOf', 'oneOf', 'allOf', 'prefixItems']) {
    if (key in copy) copy[key] = marshmallowReading(copy[key]);
  }
  for (const key of ['properties', 'patternProperties']) {
    const members = copy[key];
    if (isRecord(members)) {
      copy[key] = Object.fromEntries(Object.entries(members).map(([name, member]) => [name, marshmallowReading(member)]));
    }
  }
  const isObject = copy.type === 'object' || isRecord(copy.properties);
  if (isObject) copy[NUMBER_TEXT_KEYWORD] ??= 'python';
  if (isObject && isRecord(copy.properties) && Object.values(copy.properties).some(isBooleanSchema)) copy[BOOLEAN_TEXT_KEYWORD] = true;
  if (isObject || (copy.type === 'array' && isRecord(copy.items))) copy[NULL_CHECK_KEYWORD] = true;
  return copy;
}

/**
 * A union of one typed schema and null, as one schema whose `type` also names null (marshmallow's `allow_none`). Ajv's
 * `coerceTypes` would otherwise read a failing value as the null branch (`0` for a `minimum: 1` integer becomes null),
 * and the number grammar could not see the type inside the union.
 */
function nullableForm(schema: Record<string, unknown>): Record<string, unknown> | undefined {
  const union = Array.isArray(schema.anyOf) ? 'anyOf' : Array.isArray(schema.oneOf) ? 'oneOf' : undefined;
  const branches = union ? (schema[union] as unknown[]) : [];
  if (!union || branches.length !== 2) return undefined;
  const isNull = (branch: unknown) => isRecord(branch) && branch.type === 'null' && Object.keys(branch).every((key) => key === 'type' || key.startsWith('~'));
  const typed = branches.find((branch) => !isNull(branch));
  if (!isRecord(typed) || typeof typed.type !== 'string' || !branches.some(isNull)) return undefined;
  const { [union]: _branches, ...annotations } = schema;
  const merged: Record<string, unknown> = { ...typed, ...annotations, type: [typed.type, 'null'] };
  if ('const' in typed) {
    delete merged.const;
    merged.enum = [typed.const, null];
  } else if (Array.isArray(typed.enum)) {
    merged.enum = [...(typed.enum as unknown[]), null];
  }
  return merged;
}

/** Ajv options of the v1 validators: the root's, with the null check and marshmallow's boolean words. */
const V1_OPTIONS = { ...OPENALGO_AJV_OPTIONS, keywords: [...(OPENALGO_AJV_OPTIONS.keywords ?? []), nullCheckKeyword, booleanTextKeyword] };

type Validate = ((data: unknown) => boolean) & { errors?: FastifySchemaValidationError[] | null };

/**
 * The validator compiler of the v1 dialect (for `setValidatorCompiler` in its scope). A refused request's `errors` are
 * all of them when its body holds at most FULL_REPORT_LIMIT values, else its first.
 */
export function openAlgoValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const build = AjvCompiler();
  const firstError = build({}, { customOptions: { ...V1_OPTIONS, allErrors: false } });
  const everyError = build({}, { customOptions: { ...V1_OPTIONS, allErrors: true } });
  return (route) => {
    const definition = { ...route, schema: marshmallowReading(route.schema) as object };
    const fast = firstError(definition) as Validate;
    let full: Validate | undefined;
    const validate: Validate = (data) => {
      if (fast(data)) return true;
      validate.errors = fast.errors;
      if (valueCount(data, FULL_REPORT_LIMIT) > FULL_REPORT_LIMIT) return false;
      // The first pass changed the data only in ways a second one repeats to the same effect (numbers read from text,
      // defaults filled in); it coerced no refused null, since the null check runs before any property is coerced.
      full ??= everyError(definition) as Validate;
      if (!full(data)) validate.errors = full.errors;
      return false;
    };
    return validate;
  };
}

/** How many values `data` holds, itself included, counting no further than just past `limit`. */
export function valueCount(data: unknown, limit: number): number {
  let count = 0;
  const pending: unknown[] = [data];
  while (pending.length > 0 && count <= limit) {
    const value = pending.pop();
    count += 1;
    if (Array.isArray(value)) pending.push(...value.slice(0, Math.max(0, limit + 1 - count)));
    else if (isRecord(value)) pending.push(...Object.values(value).slice(0, Math.max(0, limit + 1 - count)));
  }
  return count;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
