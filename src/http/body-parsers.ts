import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LivelineError } from '../domain/errors.ts';

/**
 * The API reads JSON bodies and nothing else (text/plain is a 415, not a string that fails
 * the schema); routes that take text (the importer) add their own parser in their scope.
 * An empty body is fine where the route reads none (DELETE with a JSON content type).
 */
export function registerBodyParsers(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string | Buffer, done) => {
      if (body.length === 0 && request.routeOptions.schema?.body === undefined) {
        done(null, undefined);
        return;
      }
      if (body.length === 0) {
        done(new LivelineError('MALFORMED_JSON', 'The request body is empty; send a JSON object.'));
        return;
      }
      parseJson(request, body as string, done);
    },
  );
}
