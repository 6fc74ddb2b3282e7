import type { FastifyRouteSchemaDef, FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { ErrorObject } from 'ajv';
import type { FieldProblem } from '../domain/errors.ts';
import { compileChecker, toFieldProblems as problemsOf, type Checker } from '../domain/validate.ts';

/**
 * Fastify validates with the domain's one validator (src/domain/validate.ts): bodies exactly
 * as sent, query strings and paths coerced from text; the text rule applies to all of them.
 */
export function validatorCompiler({ schema, httpPart }: FastifyRouteSchemaDef<object>): Checker {
  return compileChecker(schema, httpPart !== 'body');
}

export function toFieldProblems(
  errors: readonly (ErrorObject | FastifySchemaValidationError)[],
): FieldProblem[] {
  return problemsOf(errors as ErrorObject[]);
}
