import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LivelineError } from '../domain/errors.ts';
import { embeddedV4 } from '../net/ip-address.ts';
import { checkTarget, parseAllowance, refusal } from './address-guard.ts';

const REFUSED = [
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '224.0.0.1',
  '255.255.255.255',
  '::',
  '::1',
  'fe80::1',
  'fc00::1',
  'fd12:3456::1',
  'ff02::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.0.0.1',
  '::ffff:a9fe:a9fe',
  '::127.0.0.1',
  '64:ff9b::7f00:1',
  '::ffff:0:127.0.0.1',
  '::ffff:0:a9fe:a9fe',
];
const PUBLIC = ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'];

describe('the SSRF guard', () => {
  it('refuses private, loopback, link-local, unique-local, multicast and unspecified addresses', () => {
    for (const address of REFUSED)
      assert.notEqual(refusal(address, 'none'), null, `${address} should be refused`);
    for (const address of PUBLIC) assert.equal(refusal(address, 'none'), null, address);
  });

  it('reads IPv4-mapped, -compatible and -translated IPv6 as the IPv4 host they reach', () => {
    assert.equal(embeddedV4('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(embeddedV4('::ffff:7f00:1'), '127.0.0.1');
    assert.equal(embeddedV4('0:0:0:0:0:ffff:0a00:0001'), '10.0.0.1');
    assert.equal(embeddedV4('::ffff:0:10.0.0.1'), '10.0.0.1', 'IPv4-translated');
    assert.equal(embeddedV4('::1'), null);
    assert.equal(embeddedV4('2001:db8::1'), null);
  });

  it('lets an admin allow everything, or only the networks listed', () => {
    const problems: string[] = [];
    assert.equal(parseAllowance('1', problems), 'all');
    assert.equal(parseAllowance('', problems), 'none');
    const some = parseAllowance('10.0.0.0/8, fd00::/8, 127.0.0.1', problems);
    assert.deepEqual(problems, []);
    assert.equal(refusal('10.2.3.4', some), null);
    assert.equal(refusal('::ffff:10.2.3.4', some), null);
    assert.equal(refusal('fd00::5', some), null);
    assert.equal(refusal('127.0.0.1', some), null);
    assert.notEqual(refusal('127.0.0.2', some), null);
    assert.notEqual(refusal('192.168.0.1', some), null);
    assert.equal(refusal('127.0.0.1', 'all'), null);
    parseAllowance('10.0.0.0/33, nonsense', problems);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /WEBHOOKS_ALLOW_PRIVATE .*10\.0\.0\.0\/33/);
    // A slash with nothing after it is a typo, never /0 (which would allow every address).
    const typos: string[] = [];
    parseAllowance('10.0.0.0/, fd00::/, 10.0.0.0/8/0, 10.0.0.0/+8, 10.0.0.0/ 8', typos);
    assert.deepEqual(
      typos.map((p) => /got "(.*)"/.exec(p)?.[1]),
      ['10.0.0.0/', 'fd00::/', '10.0.0.0/8/0', '10.0.0.0/+8', '10.0.0.0/ 8'],
    );
  });

  it('checks every address a name resolves to, and hands back one to connect to', async () => {
    await assert.rejects(checkTarget(new URL('http://localhost/'), 'none'), (error) => {
      assert.ok(error instanceof LivelineError);
      assert.equal(error.code, 'WEBHOOK_TARGET_REFUSED');
      assert.match(error.message, /localhost/);
      return true;
    });
    const checked = await checkTarget(new URL('http://[::1]:8080/'), 'all');
    assert.deepEqual(checked, { address: '::1', family: 6 });
  });
});
