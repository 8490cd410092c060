import { describe, expect, it } from 'vitest';
import { certSetup } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { itChecksCertificateChain, itChecksClientPointOffCurve, itChecksSignedServerKeyExchange } from '../helpers/dtls12_tamper_auth_checks.js';
import { itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * ECDHE_ECDSA with a chain of two certificates (the server's and an intermediate CA's, the root
 * pre-provisioned at the client), server authentication only, the CBC suite with
 * encrypt-then-MAC, no cookie, and a 512-byte MTU so the Certificate message travels in
 * fragments: every byte of every flight flipped, one at a time.
 */
describe('tampering with every byte of every flight (certificate chain of depth 2, server-only, CBC, cookie off, MTU 512)', () => {
  const run = flipEveryByte(
    certSetup({ chain_depth: 2, server_key: 'p256' }, { cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', cookie: false, mtu_bytes: 512 }),
  );
  itChecksEveryFlip(run, { cookie: false });
  itChecksCertificateChain(run, { from: 'server', depth: 2 });
  itChecksSignedServerKeyExchange(run);
  itChecksClientPointOffCurve(run);

  it('sends the Certificate in fragments over several datagrams (the premise of this configuration)', () => {
    const flight = run.base.flights.find((f) => f.messages.some((m) => m.startsWith('Certificate')))!;
    expect(flight.messages.filter((m) => m.startsWith('Certificate (fragment')).length).toBeGreaterThan(1);
    expect(flight.datagrams.length).toBeGreaterThan(1);
  });
});
