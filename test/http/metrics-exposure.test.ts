import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestApp } from '../support/app.ts';

const TOKEN = 'metrics-secret-0123456789abcdef';

describe('/metrics is not public', { timeout: 30_000 }, () => {
  it('answers 404 when no METRICS_TOKEN is configured, revealing nothing', async () => {
    const t = await startTestApp(undefined, { metricsToken: null });
    try {
      for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }]) {
        const res = await t.app.inject({ method: 'GET', url: '/metrics', headers });
        assert.equal(res.statusCode, 404, res.body);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        assert.doesNotMatch(res.body, /liveline_|process_/);
      }
    } finally {
      await t.close();
    }
  });

  it('with METRICS_TOKEN, serves metrics only to that bearer token', async () => {
    const t = await startTestApp(undefined, { metricsToken: TOKEN });
    try {
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${t.tokens.admin}`]) {
        const res = await t.app.inject({
          method: 'GET',
          url: '/metrics',
          headers: authorization ? { authorization } : {},
        });
        assert.equal(res.statusCode, 401, res.body);
        assert.equal(res.json<{ code: string }>().code, 'UNAUTHENTICATED');
        assert.doesNotMatch(res.body, /liveline_|process_/);
      }
      const ok = await t.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /liveline_connected_readers/);
      assert.match(ok.body, /^liveline_connections_waiting 0$/m);
    } finally {
      await t.close();
    }
  });
});
