import { describe, it } from 'vitest';
import { ecdhePskSetup } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { casesOf, expectEachFails, itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * ECDHE-PSK (RFC 5489, TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256): every byte of every flight
 * flipped, one at a time (test/helpers/dtls12_tamper_checks.ts says what each must end in).
 * Nothing signs the ECDHE points here, so a flipped point is caught by the group's own checks
 * or by the keys it leads to.
 */
describe.each([
  {
    label: 'secp256r1, cookie on',
    group: 'secp256r1' as const,
    cookie: true,
    hint: false,
    // A flipped coordinate leaves the curve (RFC 8422 §5.11): the receiver of the point refuses it.
    serverPoint: { alert: 'illegal_parameter', at: 'client' as const },
    clientPoint: { alert: 'illegal_parameter', at: 'server' as const },
  },
  {
    label: 'x25519, cookie off, identity hint',
    group: 'x25519' as const,
    cookie: false,
    hint: true,
    // Every 32-byte string is an x25519 public value (RFC 7748 §5): the client derives other
    // keys, so its Finished fails at the server.
    serverPoint: { alert: 'bad_record_mac', at: 'server' as const },
    clientPoint: { alert: 'bad_record_mac', at: 'server' as const },
  },
])('tampering with every byte of every flight (ECDHE-PSK, $label)', ({ group, cookie, hint, serverPoint, clientPoint }) => {
  const run = flipEveryByte(ecdhePskSetup({ groups: [group], cookie, ...(hint ? { psk_identity_hint: new TextEncoder().encode('gateway-7') } : {}) }));
  itChecksEveryFlip(run, { cookie });

  it(`answers a flipped byte in the server's ECDHE point with ${serverPoint.alert} at the ${serverPoint.at}`, () => {
    expectEachFails(casesOf(run, { from: 'server', message: 'ServerKeyExchange', field: 'point' }), serverPoint.alert, serverPoint.at);
  });

  it(`answers a flipped byte in the client's ECDHE point with ${clientPoint.alert} at the ${clientPoint.at}`, () => {
    expectEachFails(casesOf(run, { from: 'client', message: 'ClientKeyExchange', field: 'point' }), clientPoint.alert, clientPoint.at);
  });

  it('answers a flipped PSK identity with unknown_psk_identity at the server', () => {
    expectEachFails(casesOf(run, { from: 'client', message: 'ClientKeyExchange', field: 'identity' }), 'unknown_psk_identity', 'server');
  });
});
