import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStream, type OpenStream } from '../support/event-stream.ts';
import { api, cliToken, startInstance } from '../support/instance.ts';
import { freePort } from '../support/own-servers.ts';

/** A person invited by an admin's token and signed in through their one-time link. */
async function person(url: string, adminToken: string, name: string) {
  const invited = await api(url, adminToken, 'POST', '/desk/api/users', {
    email: `${name.toLowerCase().replace(/\W+/g, '.')}@newsroom.test`,
    name,
    role: 'editor',
  });
  assert.equal(invited.status, 201);
  const token = String(invited.json.link).split('/').at(-1) ?? '';
  const res = await fetch(`${url}/desk/api/links/${token}`, {
    method: 'POST',
    headers: { origin: url, 'content-type': 'application/json' },
    body: JSON.stringify({ password: `a long password of ${name}` }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const cookie = (res.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, headers: { cookie, origin: url, 'x-csrf-token': csrfToken } };
}

const last = (stream: OpenStream) => stream.events.filter((e) => e.event === 'presence').at(-1);

/**
 * WORKERS=2 without Redis: desks whose streams the primary handed to different workers see
 * each other, because the entries live in the primary (src/presence/cluster/).
 */
describe('presence with WORKERS=2 on one machine', { timeout: 60_000 }, () => {
  it('desks on every worker see each other, their locks, and who left', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'liveline-presence-workers-'));
    const port = await freePort();
    const env = {
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      WORKERS: '2',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    };
    const admin = await cliToken(env, 'admin');
    const server = await startInstance(env);
    const streams: OpenStream[] = [];
    try {
      const demo = 'kestrel-1-launch';
      const posts = (await (await fetch(`${server.url}/api/pages/${demo}/posts`)).json()) as {
        posts: { id: string }[];
      };
      const postId = posts.posts[0]?.id ?? '';
      // Four desks: the primary hands connections to the workers in turn.
      const people = await Promise.all(
        ['Ana Lopez', 'Bo Chen', 'Cy Diaz', 'Di Evans'].map((n) => person(server.url, admin, n)),
      );
      const desks = [];
      for (const p of people) {
        const stream = await openStream(`${server.url}/desk/api/pages/${demo}/events`, {
          cookie: p.cookie,
        });
        streams.push(stream);
        const first = await stream.waitFor((e) => e.event === 'changed', 3000);
        desks.push({
          stream,
          connection: (JSON.parse(first.data) as { connection: string }).connection,
        });
      }
      for (const desk of desks) {
        await desk.stream.waitFor(
          () => (last(desk.stream)?.data.match(/"name"/g) ?? []).length === 3,
          5000,
        );
      }
      const res = await fetch(`${server.url}/desk/api/pages/${demo}/presence`, {
        method: 'PUT',
        headers: { ...people[1]!.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ connection: desks[1]!.connection, activity: 'editing', postId }),
      });
      assert.equal(res.status, 204, await res.text());
      for (const desk of [desks[0]!, desks[2]!, desks[3]!]) {
        await desk.stream.waitFor(
          () =>
            last(desk.stream)?.data.includes(
              `"name":"Bo Chen","activity":"editing","postId":"${postId}"`,
            ) ?? false,
          5000,
        );
      }
      desks[1]!.stream.close();
      for (const desk of [desks[0]!, desks[2]!, desks[3]!]) {
        await desk.stream.waitFor(
          () => !(last(desk.stream)?.data.includes('Bo Chen') ?? true),
          5000,
        );
      }
    } finally {
      for (const s of streams) s.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
