import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey } from './ip-address.ts';

describe("a client's address key", () => {
  it('is an IPv4 address itself, and the IPv4 host an IPv6 address stands for', () => {
    assert.equal(addressKey('203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(addressKey('::ffff:cb00:7107'), '203.0.113.7');
  });

  it('groups an IPv6 address by its /64, however it is written', () => {
    const key = '2001:db8:85a3:8d3::/64';
    for (const address of [
      '2001:db8:85a3:8d3:1319:8a2e:370:7348',
      '2001:0db8:85a3:08d3::1',
      '2001:DB8:85A3:8D3:FFFF::',
      '2001:db8:85a3:8d3::7%eth0',
    ])
      assert.equal(addressKey(address), key, address);
    assert.notEqual(addressKey('2001:db8:85a3:8d4::1'), key, 'the next /64 is another client');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
  });

  it('leaves what is not an address as it is, never throwing', () => {
    for (const junk of ['', 'unknown', '1:2:3:4:5:6:7:8:9::', ':::', 'fe80::zz'])
      assert.equal(addressKey(junk), junk);
  });
});
