import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkTarget, type PrivateAllowance } from './address-guard.ts';

export interface SendOptions {
  allowance: PrivateAllowance;
  /** The whole attempt: resolving, connecting, sending and reading the answer. */
  timeoutMs: number;
  /** The most bytes of the answer read; the rest is not waited for. */
  maxResponseBytes: number;
}

export interface SendResult {
  statusCode: number;
  /** The start of the answer, as text. */
  body: string;
}

/**
 * POSTs `body` to `url` with `headers`, connecting only to the address the SSRF guard checked
 * (the request's `lookup` hands it over, so the host is not resolved again). Redirects are
 * answers like any other, never followed. Throws on refusal, timeout or a broken connection.
 */
export async function send(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendResult> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const checked = await checkTarget(url, options.allowance);
  signal.throwIfAborted();
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all)
      callback(null, [{ address: checked.address, family: checked.family }] as never, 0);
    else callback(null, checked.address, checked.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
        signal,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          resolve({
            statusCode: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          const room = options.maxResponseBytes - size;
          chunks.push(chunk.subarray(0, Math.max(0, room)));
          size += chunk.length;
          if (size >= options.maxResponseBytes) done();
        });
        res.on('end', done);
        res.on('error', reject);
      },
    );
    req.on('error', (error) =>
      reject(signal.aborted ? new Error(`no answer within ${options.timeoutMs} ms`) : error),
    );
    req.end(body);
  });
}
