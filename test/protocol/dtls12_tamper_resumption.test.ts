import { describe, expect, it } from 'vitest';
import { pskSetup } from '../helpers/dtls12_setup.js';
import { describeCase, flipEveryByte, flipEveryByteOfResumption } from '../helpers/dtls12_tamper.js';
import { casesOf, expectEachFails, itChecksEveryFlip } from '../helpers/dtls12_tamper_checks.js';

/**
 * The abbreviated handshake (RFC 5246 §7.3): a full PSK handshake runs untampered, then every
 * byte of every flight of the connection that resumes its session is flipped, one at a time:
 * by ticket (RFC 5077) with the cookie exchange, and by session ID (the server's cache) without.
 * The full handshake that issues the ticket has a flight of its own (NewSessionTicket before the
 * server's ChangeCipherSpec), tampered with too.
 */
describe.each([
  { label: 'ticket, cookie on', resumption: 'ticket' as const, cookie: true },
  { label: 'session ID, cookie off', resumption: 'session_id' as const, cookie: false },
])('tampering with every byte of every flight of a resumed handshake ($label)', ({ resumption, cookie }) => {
  const run = flipEveryByteOfResumption(pskSetup({ resumption, cookie }));
  itChecksEveryFlip(run, { cookie });

  it('tampers with an abbreviated handshake (the premise of this configuration)', () => {
    expect(run.base.resumed).toBe(true);
    expect(run.base.flights.find((f) => f.from === 'server' && f.messages.includes('ServerHello'))!.messages).toEqual(['ServerHello', 'ChangeCipherSpec', 'Finished']);
  });

  it('still resumes the session when a flip completes (the client resends its hello unchanged)', () => {
    expect(run.cases.filter((c) => c.outcome.completed && !c.resumed).map(describeCase)).toEqual([]);
  });

  it("answers a flipped session ID in the ServerHello with unexpected_message at the client (it expects a full handshake's flight)", () => {
    expectEachFails(casesOf(run, { from: 'server', message: 'ServerHello', field: 'session_id' }), 'unexpected_message', 'client');
  });

  it('answers a flipped server random with bad_record_mac at the client (the server Finished is sealed under other keys)', () => {
    expectEachFails(casesOf(run, { from: 'server', message: 'ServerHello', field: 'random' }), 'bad_record_mac', 'client');
  });

  if (resumption === 'session_id') {
    it('runs a full handshake for a flipped session ID in the ClientHello, which then fails at the server (the transcripts differ)', () => {
      const flipped = casesOf(run, { from: 'client', message: 'ClientHello', field: 'session_id' });
      expectEachFails(flipped, 'bad_record_mac', 'server');
      expect(flipped.filter((c) => c.resumed).map(describeCase)).toEqual([]);
    });
  }
});

describe('tampering with every byte of every flight of a full handshake that issues a ticket (cookie on)', () => {
  const run = flipEveryByte(pskSetup({ resumption: 'ticket' }));
  itChecksEveryFlip(run, { cookie: true });

  it('answers a flipped byte of the NewSessionTicket with decrypt_error at the client (only the server Finished covers the ticket)', () => {
    expectEachFails(casesOf(run, { from: 'server', message: 'NewSessionTicket', field: 'ticket' }), 'decrypt_error', 'client');
    expectEachFails(casesOf(run, { from: 'server', message: 'NewSessionTicket', field: 'lifetime' }), 'decrypt_error', 'client');
  });
});
