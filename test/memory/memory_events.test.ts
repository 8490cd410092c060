import { describe, expect, it } from 'vitest';
import { summariseHeap } from '../../src/memory/heap_summary.js';
import { credentialsFor } from '../../src/pipeline/credentials.js';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { decodeHandshakeFragments } from '../../src/protocol/dtls12/handshake_header.js';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import type { MemoryRecord, Transcript } from '../../src/transcript/types.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

/** The real handshake of a one-variant scenario, with the mbedtls-2.28 memory model. */
function handshake(extra = '', link = 'link: { profile: udp }') {
  const scenario = loadScenario(tempScenario(MINIMAL_SCENARIO.replace(/link: .*\n/, `${link}\n`) + extra));
  const variant = scenario.variants[0]!;
  return { variant, seed: scenario.seed, transcript: transcriptFor(variant, scenario.seed) };
}

const of = (t: Transcript, endpoint: 'client' | 'server', label: string): MemoryRecord[] =>
  t.memory.filter((m) => m.endpoint === endpoint && m.label === label);

/** Labels still live at the end of the transcript. */
function liveLabels(t: Transcript, endpoint: 'client' | 'server'): string[] {
  const live = new Map<string, number>();
  for (const m of t.memory) if (m.endpoint === endpoint) live.set(m.label, (live.get(m.label) ?? 0) + m.bytes);
  return [...live].filter(([, b]) => b !== 0).map(([l]) => l).sort();
}

// Figures of profiles/stacks/mbedtls-2.28.yaml the expectations below are built from.
const FLIGHT_ITEM = 16;
const X509_CRT = 344;
const NAME_ENTRY = 32;
const P256_PUBLIC_KEY = 240;
const RECORD_HEADER = 13;

describe('memory events from the real handshake (mbedtls-2.28 model)', () => {
  it('keeps each flight for retransmission, sized from its messages, until the peer answers', () => {
    const { transcript: t, variant } = handshake();
    const client = of(t, 'client', 'flight_buffer');
    // Flights 1 and 3 are one ClientHello in one plaintext record: the message is the record's payload.
    const clientHello = (flight: number) => t.flights[flight - 1]!.datagrams[0]!.length - RECORD_HEADER + FLIGHT_ITEM;
    // Flight 5: ClientKeyExchange (identity with its 2-byte length), ChangeCipherSpec (1 byte), Finished (12 bytes).
    const flight5 = 12 + 2 + variant.config.psk.identity.length + 1 + (12 + 12) + 3 * FLIGHT_ITEM;
    expect(client.map((m) => [m.step, m.bytes])).toEqual([
      [0, clientHello(1)],
      [2, -clientHello(1)], // the HelloVerifyRequest arrived: the first ClientHello is dropped ...
      [2, clientHello(3)], // ... and the second kept
      [4, -clientHello(3)], // the server's flight is complete (ServerHelloDone)
      [4, flight5],
      [6, -flight5], // the handshake is over
    ]);
    // The server's first kept flight (ServerHello, ServerHelloDone) stays until the client's Finished.
    expect(of(t, 'server', 'flight_buffer').map((m) => [m.step, Math.sign(m.bytes)])).toEqual([
      [3, 1],
      [5, -1],
      [5, 1],
      [5, -1],
    ]);
  });

  it("parses each certificate of the peer's chain: structure, DER copy, public key, one entry per extra name attribute", () => {
    const { transcript: t, variant, seed } = handshake('auth: cert\ncertificates: { chain_depth: 2 }\n');
    const chain = credentialsFor(variant.config, seed).server_credentials![0]!.entries;
    const expected = chain.map((der) => {
      const cert = parseCertificate(der);
      const extra = cert.issuer.split(', ').length - 1 + (cert.subject.split(', ').length - 1);
      return X509_CRT + der.length + P256_PUBLIC_KEY + extra * NAME_ENTRY;
    });
    expect(of(t, 'client', 'peer_certificate').map((m) => m.bytes)).toEqual(expected);
    // Mbed TLS 2.28 keeps the peer's chain with the session (MBEDTLS_SSL_KEEP_PEER_CERTIFICATE).
    expect(liveLabels(t, 'client')).toContain('peer_certificate');
  });

  it('reassembles a fragmented message in header + body + bitmap, freed once it is processed', () => {
    const { transcript: t, variant, seed } = handshake('auth: cert\n', 'link: { profile: udp, mtu: 200 }');
    const chain = credentialsFor(variant.config, seed).server_credentials![0]!.entries;
    const certificateBody = 3 + chain.reduce((n, der) => n + 3 + der.length, 0);
    const buffers = of(t, 'client', 'reassembly_buffer');
    const certificate = 12 + certificateBody + Math.ceil(certificateBody / 8);
    expect(buffers.map((m) => m.bytes)).toContain(certificate);
    expect(buffers.find((m) => m.bytes === -certificate)!.step).toBe(buffers.find((m) => m.bytes === certificate)!.step);
    expect(buffers.reduce((n, m) => n + m.bytes, 0)).toBe(0);
    // Whole messages need no reassembly buffer.
    expect(of(handshake('auth: cert\n').transcript, 'client', 'reassembly_buffer')).toEqual([]);
  });

  it('adds working memory around each P-256 operation and keeps the ECDHE key and result to the end', () => {
    const { transcript: t } = handshake('auth: cert\nmutual: true\n');
    for (const endpoint of ['client', 'server'] as const) {
      const p256Ops = t.ops.filter((o) => o.endpoint === endpoint && o.op.startsWith('p256.'));
      const working = of(t, endpoint, 'p256_working');
      expect(working.filter((m) => m.bytes > 0)).toHaveLength(p256Ops.length);
      expect(working.every((m) => Math.abs(m.bytes) === 2250)).toBe(true);
      // Each one is freed right after it is taken: nothing of it is left at any later point.
      const records = t.memory.filter((m) => m.endpoint === endpoint);
      for (const m of working.filter((w) => w.bytes > 0)) expect(records[records.indexOf(m) + 1]).toMatchObject({ label: 'p256_working', bytes: -2250 });
      const end = t.flights.length - 2; // the last handshake flight (the last two are application data)
      for (const label of ['ecdhe_key', 'ecdh_result']) {
        expect(of(t, endpoint, label).map((m) => m.bytes)).toEqual([100, -100]);
        expect(of(t, endpoint, label)[1]!.step).toBeLessThanOrEqual(end);
      }
    }
  });

  it('says what the profile has no figure for, and leaves it out of the peak', () => {
    const x25519 = handshake('auth: ecdhe-psk\ngroup: x25519\n').transcript;
    expect(summariseHeap(x25519.memory, 'client').not_modelled).toEqual(['x25519 working memory']);
    const rsa = handshake('auth: cert\ncertificates: { server_key: rsa2048 }\n').transcript;
    expect(summariseHeap(rsa.memory, 'client').not_modelled).toEqual(['rsa2048 public-key working memory']);
    expect(summariseHeap(rsa.memory, 'server').not_modelled).toEqual(['rsa2048 private-key working memory']);
    expect(rsa.memory.filter((m) => m.not_modelled).every((m) => m.bytes === 0)).toBe(true);
  });

  it("stores a server's session cache entry (shared) and a client's ticket of the size the server sent", () => {
    const byId = handshake('resumption: { mode: session_id, count: 1 }\n').transcript;
    expect(of(byId, 'server', 'session_cache_entry')).toEqual([expect.objectContaining({ bytes: 100, scope: 'shared' })]);

    // With tickets configured, the full handshake already issues one.
    const full = handshake('resumption: { mode: ticket, count: 1 }\n').transcript;
    // NewSessionTicket leads the server's last flight, in plaintext: lifetime (4), ticket length (2), ticket.
    const lastServerFlight = full.flights.filter((f) => f.from === 'server' && f.phase === 'handshake').at(-1)!;
    const ticketMessage = decodeHandshakeFragments(decodeDatagram(lastServerFlight.datagrams[0]!)[0]!.fragment)[0]!;
    expect(of(full, 'client', 'session_ticket').map((m) => m.bytes)).toEqual([ticketMessage.body.length - 6]);
  });

  it('frees what the handshake held: afterwards only the session, the buffers and the shared setup remain', () => {
    const psk = handshake().transcript;
    expect(liveLabels(psk, 'client')).toEqual(['drbg_context', 'in_record_buffer', 'out_record_buffer', 'psk', 'session_keys', 'ssl_config', 'ssl_context']);
    const cert = handshake('auth: cert\n').transcript;
    expect(liveLabels(cert, 'server')).toEqual([
      'drbg_context',
      'in_record_buffer',
      'out_record_buffer',
      'own_certificate',
      'own_private_key',
      'session_keys',
      'ssl_config',
      'ssl_context',
    ]);
  });
});
