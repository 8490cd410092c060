import { describe } from 'vitest';
import { certSetup } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { itChecksCertificateChain, itChecksClientPointOffCurve, itChecksSignedServerKeyExchange } from '../helpers/dtls12_tamper_auth_checks.js';
import { itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * ECDHE_ECDSA with an X.509 server certificate issued by the root (chain depth 1), server
 * authentication only: every byte of every flight flipped, one at a time. Longer chains, mutual
 * authentication, raw public keys and RSA have files of their own, so that vitest can run them
 * side by side (each flip reruns real P-256 signing, verification and ECDH).
 */
describe('tampering with every byte of every flight (certificate, depth 1, server-only, CCM_8, cookie on)', () => {
  const run = flipEveryByte(certSetup({ chain_depth: 1, server_key: 'p256' }, { cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' }));
  itChecksEveryFlip(run, { cookie: true });
  itChecksCertificateChain(run, { from: 'server', depth: 1 });
  itChecksSignedServerKeyExchange(run);
  itChecksClientPointOffCurve(run);
});
