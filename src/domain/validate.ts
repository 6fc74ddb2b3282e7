import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema, Static } from '@sinclair/typebox';
import { LivelineError, type FieldProblem } from './errors.ts';
import { countNodes, findBadText, totalTextLength } from './text-rule.ts';

/**
 * The one validator of everything that enters Liveline: HTTP bodies, query strings and
 * paths (through src/http/validation.ts), the CLI and the importer (through `check`). A value
 * passes when it matches its schema AND every string in it follows the text rule
 * (text-rule.ts), so no entry point can store what another cannot read back.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isCalendarDay(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0);
  return day <= (DAYS_IN_MONTH[month - 1] ?? 0) + (leap ? 1 : 0);
}

/** A real day of the years 0001 to 9999, as YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  return m !== null && isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * An RFC 3339 instant both databases hold: a real calendar day, no leap second (neither
 * database nor JavaScript can represent 23:59:60), an offset within ±23:59, and a UTC year
 * from 0001 to 9999 (PostgreSQL has no year 0; five-digit years do not round-trip).
 */
export function isInstant(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (!isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== undefined && (Number(m[8]) > 23 || Number(m[9]) > 59)) return false;
  const time = Date.parse(text);
  if (!Number.isFinite(time)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    coerceTypes: coerce,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
    strict: false,
  });
  addFormats.default(ajv, ['uri']);
  ajv.addFormat('date', { type: 'string', validate: isIsoDate });
  ajv.addFormat('date-time', { type: 'string', validate: isInstant });
  // The total length of every string below a node: bounds what one post costs to render.
  ajv.addKeyword({
    keyword: 'maxTotalText',
    schemaType: 'number',
    error: {
      message: (ctx) => `must hold at most ${String(ctx.schema)} characters of text in all`,
    },
    validate: (limit: number, data: unknown) => totalTextLength(data) <= limit,
  });
  ajv.addKeyword({
    keyword: 'maxNodes',
    schemaType: 'number',
    error: {
      message: (ctx) =>
        `must have at most ${String(ctx.schema)} parts (blocks, runs, items) in all`,
    },
    validate: (limit: number, data: unknown) => countNodes(data) <= limit,
  });
  return ajv;
}

/** Request bodies are checked exactly as sent (no coercion); query strings and paths, which
 * arrive as text, are coerced to the types their schemas declare. */
const exact = makeAjv(false);
const coercing = makeAjv(true);

/** A validator with Ajv's interface: returns false and sets `errors` on a bad value. */
export type Checker = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

export function compileChecker(schema: object, coerce: boolean): Checker {
  const validate: ValidateFunction = (coerce ? coercing : exact).compile(schema);
  const checker: Checker = (data: unknown) => {
    if (!validate(data)) {
      checker.errors = validate.errors ?? [];
      return false;
    }
    const bad = findBadText(data);
    if (bad) {
      checker.errors = [
        {
          keyword: 'text',
          instancePath: bad.field,
          schemaPath: '#/text',
          params: {},
          message: bad.reason,
        },
      ];
      return false;
    }
    checker.errors = null;
    return true;
  };
  return checker;
}

const compiled = new WeakMap<object, Checker>();

/**
 * Checks a value from outside the HTTP API (CLI, importer) with the same schemas and rule;
 * throws VALIDATION_FAILED naming each field under `where` (e.g. "/posts/3").
 */
export function check<S extends TSchema>(schema: S, value: unknown, where: string): Static<S> {
  let checker = compiled.get(schema);
  if (!checker) {
    checker = compileChecker(schema, false);
    compiled.set(schema, checker);
  }
  if (!checker(value)) {
    const problems = toFieldProblems(checker.errors ?? []).map((p) => ({
      field: `${where}${p.field === '/' ? '' : p.field}`,
      reason: p.reason,
    }));
    throw new LivelineError(
      'VALIDATION_FAILED',
      problems.map((p) => `${p.field} ${p.reason}`).join('; '),
      { problems },
    );
  }
  return value as Static<S>;
}

/**
 * The branch of a union whose `type` an error says is wrong, e.g.
 * "#/properties/body/items/anyOf/2/" for "#/properties/body/items/anyOf/2/properties/type/const".
 */
function wrongTypeBranch(error: ErrorObject): string | null {
  if (error.keyword !== 'const' || !error.instancePath.endsWith('/type')) return null;
  const match = /^(.*\/anyOf\/\d+\/)properties\/type\/const$/.exec(error.schemaPath);
  return match?.[1] ?? null;
}

/**
 * Turns Ajv's errors into one problem per field. For a union of block types the errors of
 * the branches whose `type` did not match are noise, however deep (a video's `provider` is
 * not the problem of an embed): keep the branch the client meant.
 */
export function toFieldProblems(errors: readonly ErrorObject[]): FieldProblem[] {
  const wrongType = errors.map(wrongTypeBranch).filter((branch) => branch !== null);
  const meant = errors.filter((e) => !wrongType.some((branch) => e.schemaPath.startsWith(branch)));
  // "must match a schema in anyOf" says nothing when an error at or below it explains it (a
  // run of an unknown type explains the paragraph it is in).
  const useful = meant.filter(
    (e) =>
      e.keyword !== 'anyOf' ||
      !meant.some(
        (o) =>
          o.instancePath.startsWith(e.instancePath) &&
          (o.keyword !== 'anyOf' || o.instancePath !== e.instancePath),
      ),
  );
  const problems: FieldProblem[] = [];
  for (const error of useful) {
    const problem = describe(error);
    if (!problems.some((p) => p.field === problem.field && p.reason === problem.reason)) {
      problems.push(problem);
    }
  }
  return problems;
}

function describe(error: ErrorObject): FieldProblem {
  const at = error.instancePath;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        field: `${at}/${String(error.params.additionalProperty)}`,
        reason: 'is not a known field',
      };
    case 'required':
      return { field: `${at}/${String(error.params.missingProperty)}`, reason: 'is required' };
    case 'anyOf':
      return { field: at || '/', reason: 'is not any of the accepted forms' };
    default:
      return { field: at || '/', reason: error.message ?? 'is not valid' };
  }
}
