import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults to one process on port 3000 with SQLite under ./data', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.match(config.dataDir, /\/data$/);
  assert.equal(config.databaseUrl, null);
  assert.equal(config.redisUrl, null);
  assert.equal(config.logLevel, 'info');
  assert.equal(config.workers, 1);
  assert.equal(config.metricsToken, null);
  assert.ok(Object.isFrozen(config));
});

test('reads every variable', () => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATA_DIR: '/srv/liveline',
    DATABASE_URL: 'postgres://u@db:5432/live',
    REDIS_URL: 'redis://cache:6379',
    LOG_LEVEL: 'debug',
    WORKERS: '4',
    METRICS_TOKEN: 'scrape-0123456789abcdef',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '5',
    RATE_LIMIT_WRITES_PER_MINUTE: '60',
  });
  assert.deepEqual(
    { ...config },
    {
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/srv/liveline',
      databaseUrl: 'postgres://u@db:5432/live',
      redisUrl: 'redis://cache:6379',
      logLevel: 'debug',
      workers: 4,
      metricsToken: 'scrape-0123456789abcdef',
      rateLimits: { authFailuresPerMinute: 5, writesPerMinute: 60 },
    },
  );
});

test('reports every invalid variable at once, by name', () => {
  assert.throws(
    () =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'not a url',
        LOG_LEVEL: 'loud',
        WORKERS: 'many',
        METRICS_TOKEN: 'short',
        RATE_LIMIT_WRITES_PER_MINUTE: '0',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 7);
      for (const name of [
        'PORT',
        'DATABASE_URL',
        'REDIS_URL',
        'LOG_LEVEL',
        'WORKERS',
        'METRICS_TOKEN',
        'RATE_LIMIT_WRITES_PER_MINUTE',
      ])
        assert.match(error.message, new RegExp(name));
      return true;
    },
  );
});
