import { describe, expect, it } from 'vitest';
import { certMutualSetup, CLIENT_AUTHENTICATION_FLIGHT } from '../helpers/dtls12_setup.js';
import { flipEveryByte } from '../helpers/dtls12_tamper.js';
import { itChecksCertificateChain, itChecksCertificateRequest, itChecksSignedServerKeyExchange } from '../helpers/dtls12_tamper_auth_checks.js';
import { itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * ECDHE_ECDSA with X.509 certificates on both sides (mutual authentication), GCM, cookie on:
 * every byte of every flight but the client's authentication flight flipped, one at a time.
 * That flight (Certificate, ClientKeyExchange, CertificateVerify, Finished) is in
 * dtls12_tamper_cert_mutual_client_flight.test.ts: each of its flips reruns every signature
 * and ECDH of the handshake, so the two halves take about as long each.
 */
describe('tampering with every byte of every other flight (certificates, depth 1, mutual, GCM, cookie on)', () => {
  const setup = certMutualSetup();
  const run = flipEveryByte(setup, { flights: [1, 2, 3, 4, 6, 7, 8] });

  it('leaves out only the flight the other file tampers with', () => {
    expect(run.base.flights.map((f) => f.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(run.base.flights[CLIENT_AUTHENTICATION_FLIGHT - 1]!.messages).toEqual(['Certificate', 'ClientKeyExchange', 'CertificateVerify', 'ChangeCipherSpec', 'Finished']);
  });
  itChecksEveryFlip(run, { cookie: true });
  itChecksCertificateChain(run, { from: 'server', depth: 1 });
  itChecksSignedServerKeyExchange(run);
  itChecksCertificateRequest(run, { type: 'x509' });
});
