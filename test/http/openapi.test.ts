import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startTestApp } from '../support/app.ts';

test('GET /openapi.json is generated from the route schemas and matches docs/openapi.json', async () => {
  const t = await startTestApp();
  try {
    const res = await t.call(null, 'GET', '/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json<{
      openapi: string;
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    }>();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/api/pages',
      '/api/pages/{slug}',
      '/api/pages/{slug}/posts',
      '/api/pages/{slug}/posts/{id}',
      '/api/pages/{slug}/changes',
    ]) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
    assert.ok(
      doc.paths['/api/pages/{slug}/posts']?.post?.requestBody,
      'the post schema is documented',
    );
    const committed = JSON.parse(readFileSync('docs/openapi.json', 'utf8'));
    assert.deepEqual(doc, committed, 'docs/openapi.json is out of date: run `npm run openapi`');
  } finally {
    await t.close();
  }
});
