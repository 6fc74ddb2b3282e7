import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { LivelineError } from '../domain/errors.ts';
import { embeddedV4 } from '../net/ip-address.ts';

/**
 * The guard against server-side request forgery (ADR 0022): a webhook may only reach public
 * addresses. Private, loopback, link-local, unique-local, multicast, shared, reserved and
 * unspecified ranges are refused, in IPv4 and IPv6, IPv4-mapped and -translated IPv6
 * included, unless the admin allows them (WEBHOOKS_ALLOW_PRIVATE).
 */
const REFUSED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const REFUSED_V6: [string, number][] = [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64: an IPv4 address behind a translator
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const refused = new BlockList();
for (const [network, prefix] of REFUSED_V4) refused.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of REFUSED_V6) refused.addSubnet(network, prefix, 'ipv6');

/** An admin's exceptions: every address (`all`), or these networks. */
export type PrivateAllowance = 'all' | 'none' | BlockList;

/**
 * Reads WEBHOOKS_ALLOW_PRIVATE: unset, empty or 0 allows none; 1 allows every address; else a
 * comma-separated list of CIDRs (10.0.0.0/8, fd00::/8) or single addresses. Problems are
 * pushed to `problems`, named.
 */
export function parseAllowance(text: string | undefined, problems: string[]): PrivateAllowance {
  const value = text?.trim() ?? '';
  if (value === '' || value === '0') return 'none';
  if (value === '1') return 'all';
  const list = new BlockList();
  for (const part of value.split(',').map((p) => p.trim())) {
    const [network = '', prefixText, ...rest] = part.split('/');
    const family = isIP(network);
    const max = family === 6 ? 128 : 32;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    // Digits after a slash, or none: "10.0.0.0/" must not read as /0, which allows everything.
    const wellFormed =
      rest.length === 0 && (prefixText === undefined || /^\d{1,3}$/.test(prefixText));
    if (family === 0 || !wellFormed || prefix < 0 || prefix > max) {
      problems.push(
        `WEBHOOKS_ALLOW_PRIVATE must be 0, 1 or a comma-separated list of CIDRs, got "${part}"`,
      );
      continue;
    }
    list.addSubnet(network, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** Why this address may not be a webhook's target, or null when it may. */
export function refusal(address: string, allowance: PrivateAllowance): string | null {
  const family = isIP(address);
  if (family === 0) return `"${address}" is not an IP address`;
  const v4 = family === 6 ? embeddedV4(address) : address;
  const blocked = v4 !== null ? refused.check(v4, 'ipv4') : refused.check(address, 'ipv6');
  if (!blocked || allowance === 'all') return null;
  if (allowance !== 'none') {
    if (v4 !== null ? allowance.check(v4, 'ipv4') : allowance.check(address, 'ipv6')) return null;
  }
  return `${address} is a private, loopback, link-local or otherwise non-public address`;
}

/** A resolved and checked address to connect to. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the host of `url` and checks EVERY address it has; the caller connects to the
 * returned one, never resolving again (a DNS answer that changes between the check and the
 * connection cannot point it elsewhere). Throws WEBHOOK_TARGET_REFUSED naming the reason.
 */
export async function checkTarget(url: URL, allowance: PrivateAllowance): Promise<CheckedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unknown';
      throw new LivelineError('WEBHOOK_TARGET_REFUSED', `${host} does not resolve (${code}).`);
    }
  }
  for (const { address } of addresses) {
    const why = refusal(address, allowance);
    if (why) throw new LivelineError('WEBHOOK_TARGET_REFUSED', `${host}: ${why}.`);
  }
  const first = addresses[0];
  if (!first) throw new LivelineError('WEBHOOK_TARGET_REFUSED', `${host} has no address.`);
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
