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
    MEDIA_S3_ENDPOINT: 'https://s3.example.org',
    MEDIA_S3_BUCKET: 'liveline-media',
    MEDIA_S3_REGION: 'eu-west-2',
    MEDIA_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
    MEDIA_S3_SECRET_ACCESS_KEY: 'secret-example',
    MEDIA_MAX_BYTES: '10485760',
    MEDIA_PROCESS_CONCURRENCY: '2',
    MEDIA_REMOTE_ORIGINS: 'https://images.example.org, https://cdn.example.net',
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
      media: {
        s3: {
          endpoint: 'https://s3.example.org',
          bucket: 'liveline-media',
          region: 'eu-west-2',
          accessKeyId: 'AKIAEXAMPLE',
          secretAccessKey: 'secret-example',
        },
        maxBytes: 10485760,
        concurrency: 2,
        remoteOrigins: ['https://images.example.org', 'https://cdn.example.net'],
      },
    },
  );
});

test('reports an incomplete S3 setting and a remote origin that is not https', () => {
  assert.throws(
    () =>
      loadConfig({
        MEDIA_S3_BUCKET: 'liveline-media',
        MEDIA_REMOTE_ORIGINS: 'http://images.example.org',
      }),
    (error: unknown) => {
      const problems = (error as ConfigError).problems;
      assert.equal(problems.length, 2, problems.join('\n'));
      assert.match(problems[0] ?? '', /MEDIA_S3_ENDPOINT, MEDIA_S3_BUCKET and credentials/);
      assert.match(problems[1] ?? '', /MEDIA_REMOTE_ORIGINS .*"http:\/\/images\.example\.org"/);
      return true;
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
