import { BlockList } from 'node:net';
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
    EMBED_FRAME_ANCESTORS: 'https://partner.example',
    OEMBED_ENDPOINTS: 'youtube=http://127.0.0.1:9000/oembed, x=off',
    OEMBED_TIMEOUT_MS: '800',
    OUTBOX_POLL_MS: '200',
    OUTBOX_LEASE_MS: '30000',
    OUTBOX_RETRY_FIRST_MS: '5000',
    OUTBOX_RETRY_FOR_MS: '3600000',
    WEBHOOKS_TIMEOUT_MS: '5000',
    WEBHOOKS_ALLOW_PRIVATE: '1',
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
      embedFrameAncestors: ['https://partner.example'],
      oembed: { endpoints: { youtube: 'http://127.0.0.1:9000/oembed', x: null }, timeoutMs: 800 },
      outboxPollMs: 200,
      outboxLeaseMs: 30_000,
      outboxRetryFirstMs: 5000,
      outboxRetryForMs: 3_600_000,
      webhooksTimeoutMs: 5000,
      webhooksAllowPrivate: 'all',
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
      vapidKeys: null,
      vapidSubject: 'mailto:alerts@live.example.org',
      pushServices: [],
      pushServiceCaFile: null,
    },
  );
});

test('webhooks: private targets are refused unless listed, and a lease outlasts an attempt', () => {
  const defaults = loadConfig({});
  assert.equal(defaults.webhooksAllowPrivate, 'none');
  assert.equal(defaults.outboxLeaseMs, 60_000);
  assert.equal(defaults.outboxRetryForMs, 24 * 3_600_000);
  const listed = loadConfig({ WEBHOOKS_ALLOW_PRIVATE: '10.0.0.0/8,fd00::/8' });
  assert.ok(listed.webhooksAllowPrivate instanceof BlockList);
  assert.equal(listed.webhooksAllowPrivate.check('10.9.9.9', 'ipv4'), true);
  assert.throws(
    () =>
      loadConfig({
        WEBHOOKS_ALLOW_PRIVATE: 'intranet',
        OUTBOX_LEASE_MS: '5000',
        WEBHOOKS_TIMEOUT_MS: '5000',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.problems.length, 2);
      assert.match(error.problems.join('\n'), /WEBHOOKS_ALLOW_PRIVATE.*"intranet"/);
      assert.match(error.problems.join('\n'), /OUTBOX_LEASE_MS \(5000\) must exceed/);
      return true;
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

test('EMBED_FRAME_ANCESTORS: any site by default, a list of sources, nothing that could end the directive', () => {
  assert.deepEqual(loadConfig({}).embedFrameAncestors, ['*']);
  assert.deepEqual(
    loadConfig({
      EMBED_FRAME_ANCESTORS: " 'self'  https://partner.example https://*.news.example:8443 ",
    }).embedFrameAncestors,
    ["'self'", 'https://partner.example', 'https://*.news.example:8443'],
  );
  for (const bad of [
    "'self'; script-src *",
    'partner.example',
    'https://a.example,https://b.example',
    "'none' *",
  ]) {
    assert.throws(
      () => loadConfig({ EMBED_FRAME_ANCESTORS: bad }),
      (error: unknown) =>
        error instanceof ConfigError && /EMBED_FRAME_ANCESTORS must be/.test(error.message),
      bad,
    );
  }
});

test('refuses oEmbed endpoints of unknown providers, without an address or not http(s)', () => {
  assert.throws(
    () =>
      loadConfig({
        OEMBED_ENDPOINTS: 'myspace=https://a.example/o,youtube=,vimeo=ftp://v.example/o',
      }),
    (error: ConfigError) => {
      assert.deepEqual(error.problems, [
        'OEMBED_ENDPOINTS names "myspace", not one of x, truthsocial, telegram, youtube, instagram, vimeo, bluesky, tiktok, facebook, threads',
        'OEMBED_ENDPOINTS gives no address for "youtube"',
        'OEMBED_ENDPOINTS (vimeo) must be a http: or https: URL, got "ftp:"',
      ]);
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
