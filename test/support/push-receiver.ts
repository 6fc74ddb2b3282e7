/**
 * A stand-in for a browser's push service, for tests: an HTTPS server on 127.0.0.1 with its
 * own self-signed certificate (made by the system's `openssl`), holding the browser's side
 * of each subscription (a P-256 key pair and an auth secret). It checks each push as a push
 * service and a browser would: the VAPID JWT's signature (ES256) and audience, the TTL and
 * Urgency headers, then decrypts the body per RFC 8291 / RFC 8188 (aes128gcm). Nothing in
 * src/ knows it is a test's: the app reaches it only because the test allows its host
 * (PUSH_SERVICES) and trusts its certificate (PUSH_SERVICE_CA).
 */
import { execFileSync } from 'node:child_process';
import {
  createDecipheriv,
  createECDH,
  hkdfSync,
  randomBytes,
  verify,
  type ECDH,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { p256PublicKey } from '../../src/push/subscription.ts';
import { until } from './deadline.ts';

/** One push as the receiver took it. */
export interface ReceivedPush {
  subscription: string;
  ttl: string | undefined;
  urgency: string | undefined;
  /** The VAPID public key the JWT was verified with (base64url). */
  vapidKey: string;
  /** The decrypted payload. */
  text: string;
}

/** A browser's subscription, as PushSubscription.toJSON() gives it. */
export interface BrowserSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

interface Held {
  ecdh: ECDH;
  auth: Buffer;
  /** What the "push service" answers: 201, or 404/410 for a subscription that is gone. */
  status: number;
}

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'liveline-push-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore', timeout: 10_000 },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Decrypts an aes128gcm Web Push body for the subscription's keys (RFC 8291 section 3.4). */
export function decryptPush(body: Buffer, ecdh: ECDH, authSecret: Buffer): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20] ?? 0;
  const serverKey = body.subarray(21, 21 + idLength);
  const records = body.subarray(21 + idLength);
  if (records.length > recordSize) throw new Error('more than one record: not expected');
  const shared = ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ecdh.getPublicKey(), serverKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: aes128gcm\0', 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: nonce\0', 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(records.subarray(records.length - 16));
  const plain = Buffer.concat([
    decipher.update(records.subarray(0, records.length - 16)),
    decipher.final(),
  ]);
  // The last record ends with the delimiter 0x02 and zero padding (RFC 8188 section 2).
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('no last-record delimiter');
  return plain.subarray(0, end).toString('utf8');
}

/** Verifies `Authorization: vapid t=<jwt>, k=<key>` for `origin`; returns the key. */
function checkVapid(header: string | undefined, origin: string): string {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match) throw new Error(`no VAPID authorization: ${header}`);
  const [jwt, key] = [match[1] as string, match[2] as string];
  const [head, claims, signature] = jwt.split('.') as [string, string, string];
  const publicKey = p256PublicKey(Buffer.from(key, 'base64url'));
  const signed = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!signed) throw new Error('the VAPID signature does not verify');
  const { aud, exp } = JSON.parse(Buffer.from(claims, 'base64url').toString()) as {
    aud: string;
    exp: number;
  };
  if (aud !== origin) throw new Error(`VAPID audience ${aud}, expected ${origin}`);
  if (exp * 1000 < Date.now()) throw new Error('the VAPID token has expired');
  return key;
}

export class PushReceiver {
  readonly received: ReceivedPush[] = [];
  /** Pushes refused (bad VAPID, undecryptable): a test expects none. */
  readonly refused: string[] = [];
  private readonly held = new Map<string, Held>();

  private constructor(
    private readonly server: Server,
    readonly certificate: string,
    readonly origin: string,
  ) {}

  static async start(): Promise<PushReceiver> {
    const { key, cert } = selfSignedCertificate();
    let receiver: PushReceiver | null = null;
    const server = createServer({ key, cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const status = receiver?.take(req.url ?? '', req.headers, Buffer.concat(chunks)) ?? 500;
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    receiver = new PushReceiver(server, cert, `https://127.0.0.1:${port}`);
    return receiver;
  }

  /** The host to allow (PUSH_SERVICES). */
  get host(): string {
    return new URL(this.origin).host;
  }

  /** A new browser subscription whose endpoint is on this receiver. */
  subscribe(): BrowserSubscription {
    const id = randomBytes(12).toString('base64url');
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    this.held.set(id, { ecdh, auth, status: 201 });
    return {
      endpoint: `${this.origin}/push/${id}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
    };
  }

  /** Makes the "push service" answer `status` for this subscription from now on (410: gone). */
  answer(subscription: BrowserSubscription, status: number): void {
    const held = this.held.get(this.idOf(subscription.endpoint));
    if (held) held.status = status;
  }

  /** Waits for `count` pushes in all, failing after `ms` with what did arrive. */
  async waitFor(count: number, ms = 5_000): Promise<ReceivedPush[]> {
    await until(
      () => this.received.length >= count || this.refused.length > 0,
      ms,
      (waited) => `no ${count} pushes within ${waited} ms (got ${this.received.length})`,
    );
    if (this.refused.length > 0) throw new Error(`refused: ${this.refused.join('; ')}`);
    return this.received;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private idOf(endpoint: string): string {
    return new URL(endpoint).pathname.replace(/^\/push\//, '');
  }

  private take(path: string, headers: Record<string, unknown>, body: Buffer): number {
    const id = path.replace(/^\/push\//, '');
    const held = this.held.get(id);
    if (!held) return 404;
    if (held.status !== 201) return held.status;
    try {
      if (headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
      const vapidKey = checkVapid(headers['authorization'] as string | undefined, this.origin);
      this.received.push({
        subscription: id,
        ttl: headers['ttl'] as string | undefined,
        urgency: headers['urgency'] as string | undefined,
        vapidKey,
        text: decryptPush(body, held.ecdh, held.auth),
      });
      return 201;
    } catch (error) {
      this.refused.push(String(error));
      return 400;
    }
  }
}
