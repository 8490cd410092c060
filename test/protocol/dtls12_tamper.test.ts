import { describe, expect, it } from 'vitest';
import { pskSetup } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { casesOf, expectEachFails, itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * PSK handshakes: every byte of every flight (handshake and application data) flipped, one at
 * a time, for each suite and with and without the cookie exchange. What every flip must end in
 * is in test/helpers/dtls12_tamper_checks.ts; the other modes have files of their own
 * (dtls12_tamper_*.test.ts), since each flip there reruns real public-key cryptography.
 */
describe.each([
  { label: 'CCM_8, cookie on', suite: 'TLS_PSK_WITH_AES_128_CCM_8' as const, cookie: true, hint: false, etm: true },
  { label: 'CCM_8, cookie off, identity hint', suite: 'TLS_PSK_WITH_AES_128_CCM_8' as const, cookie: false, hint: true, etm: true },
  { label: 'CCM, cookie on', suite: 'TLS_PSK_WITH_AES_128_CCM' as const, cookie: true, hint: false, etm: true },
  { label: 'GCM, cookie on', suite: 'TLS_PSK_WITH_AES_128_GCM_SHA256' as const, cookie: true, hint: false, etm: true },
  { label: 'CBC, encrypt-then-MAC, cookie on', suite: 'TLS_PSK_WITH_AES_128_CBC_SHA256' as const, cookie: true, hint: false, etm: true },
  { label: 'CBC, MAC-then-encrypt, cookie off, identity hint', suite: 'TLS_PSK_WITH_AES_128_CBC_SHA256' as const, cookie: false, hint: true, etm: false },
])('tampering with every byte of every flight ($label)', ({ suite, cookie, hint, etm }) => {
  const defaults = pskSetup();
  const setup = pskSetup({
    cipher_suite: suite,
    cookie,
    ...(hint ? { psk_identity_hint: new TextEncoder().encode('gateway-7') } : {}),
    client: { ...defaults.client, encrypt_then_mac: etm },
    server: { ...defaults.server, encrypt_then_mac: etm },
  });
  const run = flipEveryByte(setup);
  itChecksEveryFlip(run, { cookie });

  it('runs the record order the configuration asks for', () => {
    // The ServerHello echoes encrypt_then_mac (0x0016, empty) only for a CBC suite with it on.
    const serverHello = run.base.flights.find((f) => f.messages.includes('ServerHello'))!;
    const echoed = serverHello.datagrams.some((d) => Buffer.from(d).includes(Buffer.from('00160000', 'hex')));
    expect(echoed).toBe(etm && suite === 'TLS_PSK_WITH_AES_128_CBC_SHA256');
  });

  it('answers a flipped PSK identity with unknown_psk_identity', () => {
    expectEachFails(casesOf(run, { from: 'client', message: 'ClientKeyExchange', field: 'identity' }), 'unknown_psk_identity', 'server');
  });
});
