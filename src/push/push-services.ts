import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * The push services readers' browsers use (Chrome, Firefox, Safari, Edge): the only hosts a
 * subscription's endpoint may name unless the operator adds others (PUSH_SERVICES). A
 * leading `*.` allows every subdomain. Anything else would let an anonymous request make the
 * server POST to an address of its choosing (server-side request forgery).
 */
export const DEFAULT_PUSH_SERVICES = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  'web.push.apple.com',
  '*.notify.windows.com',
] as const;

/** Where this site sends pushes: the defaults plus the hosts the operator allows. */
export interface PushServices {
  /** Allowed hosts: `host`, `host:port` or `*.domain`. */
  hosts: readonly string[];
  /**
   * Hosts the operator listed: these may resolve to private or loopback addresses (a push
   * service of their own, a test's); the defaults may not.
   */
  operatorHosts: readonly string[];
}

/** The defaults plus the operator's (PUSH_SERVICES), which alone may be private addresses. */
export function pushServices(operatorHosts: readonly string[] = []): PushServices {
  return { hosts: [...DEFAULT_PUSH_SERVICES, ...operatorHosts], operatorHosts };
}

function matches(pattern: string, host: string, port: string): boolean {
  const [name, only] = splitHostPort(pattern);
  if ((only ?? '') !== port) return false;
  if (name.startsWith('*.')) return host.endsWith(name.slice(1)) && host.length > name.length - 1;
  return host === name;
}

/** `host:port` (IPv6 in brackets) into its parts; the port is undefined when absent. */
function splitHostPort(text: string): [string, string | undefined] {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracket) return [`[${bracket[1]}]`, bracket[2]];
  const at = text.lastIndexOf(':');
  return at > 0 && /^\d+$/.test(text.slice(at + 1))
    ? [text.slice(0, at), text.slice(at + 1)]
    : [text, undefined];
}

/**
 * Why `endpoint` is not one this site sends to, or null when it is: an https URL without
 * credentials on an allowed push service (on its default port unless the entry names one).
 */
export function refuseEndpoint(endpoint: string, services: PushServices): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:') return 'must be an https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (!services.hosts.some((pattern) => matches(pattern, url.hostname, url.port)))
    return 'is not on a push service this site sends to';
  return null;
}

/** Loopback, private, link-local, unique-local, CGNAT, multicast and reserved ranges. */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');

/** True for an address that is not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  // An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPrivateAddress(mapped[1] as string);
  const family = isIP(address);
  if (family === 0) return true;
  return NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A DNS lookup for the sender's agent that refuses a default push service resolving to a
 * private address (DNS rebinding); the operator's own hosts resolve as they are.
 */
export function guardedLookup(services: PushServices): LookupFunction {
  const trusted = new Set(services.operatorHosts.map((h) => splitHostPort(h)[0]));
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, '', 0);
      const addresses = found as LookupAddress[];
      const refused = !trusted.has(hostname) && addresses.some((a) => isPrivateAddress(a.address));
      if (refused || addresses.length === 0) {
        const denied = Object.assign(new Error(`${hostname} resolves to a private address`), {
          code: 'EPUSHPRIVATE',
        });
        return callback(denied, '', 0);
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
