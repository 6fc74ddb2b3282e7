import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrivateAddress, pushServices, refuseEndpoint } from './push-services.ts';

describe('push services: which endpoints may be stored', () => {
  const defaults = pushServices();
  const local = pushServices(['127.0.0.1:8443', '*.push.example']);

  it("accepts the browsers' push services", () => {
    for (const endpoint of [
      'https://fcm.googleapis.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/abc',
      'https://web.push.apple.com/QO0abc',
      'https://wns2-par02p.notify.windows.com/w/?token=abc',
    ])
      assert.equal(refuseEndpoint(endpoint, defaults), null, endpoint);
  });

  it('refuses other hosts, ports, schemes, credentials and look-alikes', () => {
    const cases: [string, RegExp][] = [
      ['http://fcm.googleapis.com/fcm/send/abc', /https/],
      ['https://fcm.googleapis.com:8443/fcm/send/abc', /push service/],
      ['https://fcm.googleapis.com.evil.example/x', /push service/],
      ['https://notify.windows.com/x', /push service/],
      ['https://evilnotify.windows.com/x', /push service/],
      ['https://127.0.0.1:8443/push/x', /push service/],
      ['https://user:pw@fcm.googleapis.com/x', /user name/],
      ['not a url', /not a URL/],
    ];
    for (const [endpoint, reason] of cases)
      assert.match(refuseEndpoint(endpoint, defaults) ?? 'accepted', reason, endpoint);
  });

  it("accepts the operator's hosts, on their port only", () => {
    assert.equal(refuseEndpoint('https://127.0.0.1:8443/push/x', local), null);
    assert.match(refuseEndpoint('https://127.0.0.1/push/x', local) ?? '', /push service/);
    assert.equal(refuseEndpoint('https://eu.push.example/x', local), null);
  });

  it('knows private addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '100.64.0.1',
    ])
      assert.equal(isPrivateAddress(address), true, address);
    for (const address of ['142.250.74.10', '2a00:1450:4009:81f::200a'])
      assert.equal(isPrivateAddress(address), false, address);
  });
});
