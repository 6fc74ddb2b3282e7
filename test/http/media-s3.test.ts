import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { openMediaLibrary, type MediaLibrary } from '../../src/media/library.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aPhoto, assertNoMetadata, hasGps, multipart } from '../support/media.ts';
import { startLocalS3, type LocalS3 } from '../support/s3.ts';

/**
 * The S3 path against a local S3-compatible server: two instances with their own disks and
 * one bucket, so a picture uploaded to one is served by the other.
 */
describe('pictures in an S3 bucket, shared by two instances', { timeout: 120_000 }, () => {
  let s3: LocalS3;
  let libraries: MediaLibrary[];
  let one: TestApp;
  let other: TestApp;

  before(async () => {
    s3 = await startLocalS3();
    libraries = [0, 1].map(() =>
      openMediaLibrary({ dir: '/nonexistent/never-written', s3: s3.settings }),
    );
    one = await startTestApp(undefined, { media: libraries[0] as MediaLibrary });
    other = await startTestApp(undefined, { media: libraries[1] as MediaLibrary });
  });
  after(async () => {
    await one?.close();
    await other?.close();
    for (const library of libraries ?? []) await library.close();
    await s3?.stop();
  });

  it('stores the original and every variant in the bucket, and the other instance serves them', async () => {
    const photo = await aPhoto({ width: 1000, height: 750 });
    assert.ok(await hasGps(photo));
    const id = createHash('sha256').update(photo).digest('hex');
    const body = await multipart(
      { alt: 'A lifeboat leaving the harbour' },
      { bytes: photo, name: 'lifeboat.jpg', type: 'image/jpeg' },
    );
    const res = await one.call('editor', 'POST', '/desk/api/media', body.payload, body.headers);
    assert.equal(res.statusCode, 201, res.body);

    const client = new S3Client({
      endpoint: s3.settings.endpoint,
      region: s3.settings.region,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    try {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket }));
      const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
      const expected = [320, 640, 960, 1000]
        .flatMap((w) => ['avif', 'jpg', 'webp'].map((ext) => `${id}/${w}.${ext}`))
        .concat(`originals/${id}`)
        .sort();
      assert.deepEqual(keys, expected);
    } finally {
      client.destroy();
    }

    for (const file of ['320.avif', '640.webp', '1000.jpg']) {
      const served = await other.app.inject({ method: 'GET', url: `/media/${id}/${file}` });
      assert.equal(served.statusCode, 200, file);
      assert.equal(served.headers['cache-control'], 'public, max-age=31536000, immutable');
      await assertNoMetadata(served.rawPayload, file);
    }
    const missing = await other.app.inject({ method: 'GET', url: `/media/${id}/1920.jpg` });
    assert.equal(missing.statusCode, 404);
  });
});
