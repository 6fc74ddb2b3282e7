/**
 * Reading IP addresses as the kernel does, for the bounds on clients (src/http) and the guard
 * on outgoing requests (src/webhooks): an IPv6 address's groups, the IPv4 host an IPv6 address
 * stands for, and the key a client is bounded by.
 */
import { isIP } from 'node:net';

/** The eight 16-bit groups of an IPv6 address (with or without an embedded dotted quad). */
export function groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a, b, c, d] = dotted[1].split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill =
    tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16));
}

/**
 * The IPv4 address an IPv6 one stands for when it is IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d) or IPv4-translated (::ffff:0:a.b.c.d), else null: those reach
 * the IPv4 host, so its rules apply.
 */
export function embeddedV4(address: string): string | null {
  const g = groups(address);
  if (g.length !== 8 || g.slice(0, 4).some((x) => x !== 0)) return null;
  if (g[4] === 0xffff && g[5] === 0) {
    const [hi = 0, lo = 0] = g.slice(6);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  if (g[4] !== 0) return null;
  if (g[5] !== 0xffff && g[5] !== 0) return null;
  // :: and ::1 are IPv6's own unspecified and loopback addresses, refused as such.
  if (g[5] === 0 && g[6] === 0) return null;
  const [hi = 0, lo = 0] = g.slice(6);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/**
 * The key a client's address is bounded by: an IPv4 address itself (an IPv6 one that stands for
 * it likewise), an IPv6 address by its /64, the network one subscriber is given and may take
 * any address from. Without it, one home connection is 2^64 clients to every per-address limit.
 */
export function addressKey(address: string): string {
  // A forwarded address is whatever the proxy was sent: only a well-formed IPv6 one is read.
  if (!address.includes(':') || isIP(address) !== 6) return address;
  const v4 = embeddedV4(address);
  if (v4 !== null) return v4;
  const g = groups(address);
  return `${g
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}
