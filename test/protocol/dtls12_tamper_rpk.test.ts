import { describe } from 'vitest';
import { rpkSetup } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { itChecksClientPointOffCurve, itChecksRawPublicKey, itChecksSignedServerKeyExchange } from '../helpers/dtls12_tamper_auth_checks.js';
import { itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * ECDHE_ECDSA with raw public keys (RFC 7250), the server's key pinned at the client, server
 * authentication only, CCM, cookie on: every byte of every flight flipped, one at a time.
 */
describe('tampering with every byte of every flight (raw public key, server-only, CCM, cookie on)', () => {
  const run = flipEveryByte(rpkSetup({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM' }));
  itChecksEveryFlip(run, { cookie: true });
  itChecksRawPublicKey(run, { from: 'server' });
  itChecksSignedServerKeyExchange(run);
  itChecksClientPointOffCurve(run);
});
