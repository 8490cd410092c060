import { describe } from 'vitest';
import { certMutualSetup, CLIENT_AUTHENTICATION_FLIGHT } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { itChecksCertificateChain, itChecksCertificateVerify, itChecksClientPointOffCurve } from '../helpers/dtls12_tamper_auth_checks.js';
import { itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * ECDHE_ECDSA with X.509 certificates on both sides (mutual authentication), GCM, cookie on:
 * every byte of the client's authentication flight (Certificate, ClientKeyExchange,
 * CertificateVerify, ChangeCipherSpec, Finished) flipped, one at a time. The other flights are
 * in dtls12_tamper_cert_mutual.test.ts.
 */
describe("tampering with every byte of the client's authentication flight (certificates, depth 1, mutual, GCM, cookie on)", () => {
  const run = flipEveryByte(certMutualSetup(), { flights: [CLIENT_AUTHENTICATION_FLIGHT] });
  itChecksEveryFlip(run, { cookie: true });
  itChecksCertificateChain(run, { from: 'client', depth: 1 });
  itChecksCertificateVerify(run);
  itChecksClientPointOffCurve(run);
});
