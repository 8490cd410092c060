import { describe, expect, it } from 'vitest';
import { certSetup } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { itChecksCertificateChain, itChecksClientPointOffCurve, itChecksSignedServerKeyExchange } from '../helpers/dtls12_tamper_auth_checks.js';
import { casesOf, itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * ECDHE_RSA with an RSA-2048 server certificate issued by an RSA-2048 root, server
 * authentication only, GCM, cookie on: every byte of every flight flipped, one at a time. The
 * ServerKeyExchange carries a PKCS#1 v1.5 signature (RFC 5246 §4.7).
 */
describe('tampering with every byte of every flight (ECDHE-RSA, RSA-2048 certificate, depth 1, GCM, cookie on)', () => {
  const run = flipEveryByte(certSetup({ chain_depth: 1, server_key: 'rsa2048' }, { cipher_suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }));
  itChecksEveryFlip(run, { cookie: true });
  itChecksCertificateChain(run, { from: 'server', depth: 1 });
  itChecksSignedServerKeyExchange(run);
  itChecksClientPointOffCurve(run);

  it('signs the ServerKeyExchange with the RSA-2048 key (a 256-byte signature, the premise of this configuration)', () => {
    expect(casesOf(run, { from: 'server', message: 'ServerKeyExchange', field: 'signature' })).toHaveLength(256);
  });
});
