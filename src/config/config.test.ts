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
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.renderCacheBytes, 64 * 1024 * 1024);
  assert.equal(config.streamsPerAddress, 32);
  assert.equal(config.streamsTotal, 10_000);
  assert.equal(config.scheduleEveryMs, 1000);
  assert.equal(config.trustProxy, null);
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
    PUBLIC_URL: 'https://live.example.org/',
    RENDER_CACHE_BYTES: '1048576',
    EVENTS_MAX_PER_ADDRESS: '8',
    EVENTS_MAX_TOTAL: '500',
    SCHEDULE_EVERY_MS: '250',
    TRUST_PROXY: '10.0.0.0/8',
    METRICS_TOKEN: 'scrape-0123456789abcdef',
    RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '5',
    RATE_LIMIT_WRITES_PER_MINUTE: '60',
    LATENCY_SAMPLE_RATE: '0.25',
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
      publicUrl: 'https://live.example.org',
      renderCacheBytes: 1048576,
      streamsPerAddress: 8,
      streamsTotal: 500,
      scheduleEveryMs: 250,
      trustProxy: '10.0.0.0/8',
      metricsToken: 'scrape-0123456789abcdef',
      rateLimits: { authFailuresPerMinute: 5, writesPerMinute: 60 },
      latencySampleRate: 0.25,
      vapidKeys: null,
      vapidSubject: 'mailto:alerts@live.example.org',
      pushServices: [],
      pushServiceCaFile: null,
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

test('refuses a PUBLIC_URL that is not http(s) and limits that are not counts', () => {
  assert.throws(
    () =>
      loadConfig({
        PUBLIC_URL: 'javascript:alert(1)',
        RENDER_CACHE_BYTES: '12kb',
        EVENTS_MAX_PER_ADDRESS: '0',
        EVENTS_MAX_TOTAL: '-1',
        LATENCY_SAMPLE_RATE: '1.5',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 5);
      for (const name of [
        'PUBLIC_URL',
        'RENDER_CACHE_BYTES',
        'EVENTS_MAX_PER_ADDRESS',
        'EVENTS_MAX_TOTAL',
        'LATENCY_SAMPLE_RATE',
      ])
        assert.match(error.message, new RegExp(name));
      return true;
    },
  );
});

test('reads the push alerts settings, and refuses half a VAPID pair or a bad host (ADR 0023)', () => {
  const keys = {
    publicKey: `B${'A'.repeat(86)}`,
    privateKey: 'A'.repeat(43),
  };
  const config = loadConfig({
    VAPID_PUBLIC_KEY: keys.publicKey,
    VAPID_PRIVATE_KEY: keys.privateKey,
    VAPID_SUBJECT: 'mailto:desk@news.example',
    PUSH_SERVICES: 'push.test.internal:8443, *.push.example',
    PUSH_SERVICE_CA: '/etc/liveline/push-ca.pem',
  });
  assert.deepEqual(config.vapidKeys, keys);
  assert.equal(config.vapidSubject, 'mailto:desk@news.example');
  assert.deepEqual(config.pushServices, ['push.test.internal:8443', '*.push.example']);
  assert.equal(config.pushServiceCaFile, '/etc/liveline/push-ca.pem');
  assert.throws(
    () =>
      loadConfig({
        VAPID_PUBLIC_KEY: keys.publicKey,
        VAPID_SUBJECT: 'alerts@news.example',
        PUSH_SERVICES: 'https://push.example/',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 3);
      for (const name of ['VAPID_PRIVATE_KEY', 'VAPID_SUBJECT', 'PUSH_SERVICES'])
        assert.match(error.message, new RegExp(name));
      return true;
    },
  );
  assert.throws(
    () => loadConfig({ VAPID_PUBLIC_KEY: 'short', VAPID_PRIVATE_KEY: 'short' }),
    /VAPID_PUBLIC_KEY must be 65 bytes/,
  );
});
