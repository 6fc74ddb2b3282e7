import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyRouteSchemaDef, FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { FieldProblem } from '../domain/errors.ts';

/**
 * Two validators: request bodies are checked exactly as sent (no type coercion, unknown
 * fields refused, never silently dropped), while the query string and path, which arrive as
 * text, are coerced to the types their schemas declare.
 */
function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    coerceTypes: coerce,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
    strict: false,
  });
  addFormats.default(ajv, ['date-time', 'date', 'uri']);
  return ajv;
}

const exact = makeAjv(false);
const coercing = makeAjv(true);

export function validatorCompiler({
  schema,
  httpPart,
}: FastifyRouteSchemaDef<object>): ValidateFunction {
  return (httpPart === 'body' ? exact : coercing).compile(schema);
}

/** The branch of an anyOf an error came from, e.g. "#/properties/body/items/anyOf/2". */
function branchOf(error: ErrorObject): string | null {
  const match = /^(.*\/anyOf\/\d+)\//.exec(error.schemaPath);
  return match?.[1] ?? null;
}

/**
 * Turns Ajv's errors into one problem per field. For a union of block types the errors of
 * the branches whose `type` did not match are noise: keep the branch the client meant.
 */
export function toFieldProblems(
  errors: readonly (ErrorObject | FastifySchemaValidationError)[],
): FieldProblem[] {
  const all = errors as ErrorObject[];
  const wrongType = new Set(
    all.filter((e) => e.keyword === 'const' && e.instancePath.endsWith('/type')).map(branchOf),
  );
  const meant = all.filter((e) => !wrongType.has(branchOf(e)));
  // "must match a schema in anyOf" says nothing when a branch's own errors explain it.
  const useful = meant.filter(
    (e) =>
      e.keyword !== 'anyOf' ||
      !meant.some((o) => o.keyword !== 'anyOf' && o.instancePath.startsWith(e.instancePath)),
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
