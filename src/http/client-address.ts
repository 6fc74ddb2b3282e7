import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';

/**
 * The client's address of a raw request, as Fastify's `request.ip` gives it for the same
 * `trustProxy` setting (a comma-separated list of trusted proxies, or none): the nearest
 * address the trusted proxies forwarded for. For code that answers before Fastify sees the
 * request, so a client is bounded by the same address on either path.
 */
export function clientAddressOf(trustProxy: string | undefined): (req: IncomingMessage) => string {
  if (!trustProxy) return (req) => req.socket.remoteAddress ?? '';
  const trusted = proxyAddr.compile(trustProxy.split(',').map((entry) => entry.trim()));
  return (req) => proxyAddr.all(req, trusted).at(-1) ?? '';
}
