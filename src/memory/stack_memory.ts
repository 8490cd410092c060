import { GROUP_OF, type CostGroup } from '../device/cost_groups.js';
import type { EndpointRole, OpRecord } from '../crypto/ops.js';
import type { OpMeter } from '../crypto/meter.js';
import type { CertificateTypeName } from '../protocol/dtls12/constants.js';
import type { MemoryEvent } from '../protocol/dtls12/endpoint.js';
import type { MemoryModel } from '../scenario/profile_schemas.js';
import type { MemoryRecord } from '../transcript/types.js';
import { parsedCertificateSize, privateKeySize, type ParsedSize } from './certificate_memory.js';

/** Buffer content lengths a scenario may set for an endpoint (MBEDTLS_SSL_IN/OUT_CONTENT_LEN). */
export interface BufferSizes {
  in_content_len: number;
  out_content_len: number;
}

/** Build-time settings that change what the stack allocates (scenario stack_options, else the profile). */
export interface StackMemorySettings extends BufferSizes {
  /** Record buffers shrink to the negotiated max_fragment_length after the handshake (MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH). */
  variable_buffer_length: boolean;
  /**
   * Groups run on an accelerator or secure element. Their working memory is not the software
   * figure (no comb table, no bignum temporaries on the host), and what the driver allocates
   * instead is not published, so it is reported as not modelled.
   */
  offloaded_groups?: readonly CostGroup[];
}

/** What the endpoint is provisioned with before any handshake. */
export interface ProvisionedMemory {
  /** The PSK and its identity, in bytes. */
  psk_bytes?: number;
  /** Its own credential: certificates (or a raw public key) and its private key's type. */
  own?: { type: CertificateTypeName; entries: Uint8Array[]; key: 'p256' | 'rsa2048' };
  /** What it checks the peer against: root certificates, or the pinned raw public key. */
  trust?: { type: CertificateTypeName; entries: Uint8Array[] };
}

/** The curve or RSA operation an op's working memory is sized by. */
function workingMemoryOf(model: MemoryModel, op: OpRecord): { what: string; bytes: number | undefined } | undefined {
  const group = GROUP_OF[op.op];
  if (group.startsWith('p256.') || group.startsWith('x25519.')) {
    const curve = group.startsWith('p256.') ? 'p256' : 'x25519';
    return { what: `${curve} working memory`, bytes: model.ecc_working_bytes?.[curve]?.value };
  }
  if (group === 'rsa2048.public' || group === 'rsa2048.private') {
    const side = group === 'rsa2048.public' ? 'public' : 'private';
    return { what: `rsa2048 ${side}-key working memory`, bytes: model.rsa_working_bytes?.[side]?.value };
  }
  return undefined;
}

/**
 * Turns the engine's memory events, and the public-key ops it performs, into the allocations
 * and frees of an Mbed TLS-like stack, with sizes from the stack profile and the real messages:
 *
 * - setup: context, configuration, DRBG, both record buffers (content length + overhead), the
 *   PSK, the endpoint's own certificates and key, its trust anchors;
 * - handshake: handshake parameters and transcript hashes; each flight kept for
 *   retransmission until the peer's next flight has arrived; a reassembly buffer per
 *   fragmented message; the peer's certificates; the ECDHE key and result; the working memory
 *   of each public-key operation, freed when it ends;
 * - after: the session (and ticket), a server's cache entry; what the handshake held is freed,
 *   and with variable buffer lengths the record buffers shrink to the negotiated fragment length.
 *
 * Labels of objects held once for all connections are marked shared. An allocation the profile
 * has no figure for is recorded as not modelled (0 bytes), so the report can say so.
 */
export function stackMemoryRecorder(
  endpoint: EndpointRole,
  model: MemoryModel,
  settings: StackMemorySettings,
  provisioned: ProvisionedMemory,
  meter: OpMeter,
  out: MemoryRecord[],
): (event: MemoryEvent) => void {
  const record = (label: string, bytes: number, shared = false) =>
    out.push({ endpoint, step: meter.step, label, bytes, ...(shared ? { scope: 'shared' as const } : {}) });
  const gaps = new Set<string>();
  const gap = (what: string) => {
    if (gaps.has(what)) return;
    gaps.add(what);
    out.push({ endpoint, step: meter.step, label: what, bytes: 0, not_modelled: true });
  };
  const sized = (label: string, size: ParsedSize, shared: boolean) => {
    size.missing.forEach(gap);
    record(label, size.bytes, shared);
    return size.bytes;
  };

  /** What the handshake holds and frees at its end, by label. */
  const held = new Map<string, number>();
  const hold = (label: string, bytes: number) => {
    record(label, bytes);
    held.set(label, (held.get(label) ?? 0) + bytes);
  };
  const release = (label: string) => {
    const bytes = held.get(label);
    if (bytes === undefined) return;
    record(label, -bytes);
    held.delete(label);
  };
  const reassembling = new Map<number, number>();
  const overhead = model.buffer_overhead_bytes.value;
  const buffers = { in_record_buffer: settings.in_content_len + overhead, out_record_buffer: settings.out_content_len + overhead };
  const keepsPeerCertificate = model.keeps_peer_certificate?.enabled ?? true;

  const holdFigure = (label: string, bytes: number | undefined, what: string) => {
    if (bytes === undefined) gap(what);
    else hold(label, bytes);
  };
  meter.listeners.push((op) => {
    if (op.endpoint !== endpoint) return;
    const group = GROUP_OF[op.op];
    const curve = group.startsWith('p256.') ? 'p256' : group.startsWith('x25519.') ? 'x25519' : undefined;
    // The results stay with the handshake: our ECDHE key pair, then the peer's point and the secret.
    if (curve && group.endsWith('.keygen')) holdFigure('ecdhe_key', model.ecdhe_key_bytes?.[curve]?.value, `${curve} ECDHE key`);
    if (curve && group.endsWith('.ecdh')) holdFigure('ecdh_result', model.ecdh_result_bytes?.[curve]?.value, `${curve} ECDH result`);
    const working = workingMemoryOf(model, op);
    if (!working) return;
    if (settings.offloaded_groups?.includes(group)) return gap(`${working.what} of ops on an accelerator or secure element`);
    if (working.bytes === undefined) return gap(working.what);
    record(`${curve ?? 'rsa2048'}_working`, working.bytes);
    record(`${curve ?? 'rsa2048'}_working`, -working.bytes);
  });

  const setup = () => {
    record('ssl_context', model.ssl_context_bytes.value);
    record('ssl_config', model.ssl_config_bytes.value, true);
    record('drbg_context', model.drbg_context_bytes.value, true);
    record('in_record_buffer', buffers.in_record_buffer);
    record('out_record_buffer', buffers.out_record_buffer);
    if (provisioned.psk_bytes !== undefined) record('psk', provisioned.psk_bytes, true);
    const own = provisioned.own;
    if (own?.type === 'x509') for (const der of own.entries) sized('own_certificate', parsedCertificateSize(model, 'x509', der), true);
    if (own) sized('own_private_key', privateKeySize(model, own.key), true);
    const trust = provisioned.trust;
    if (trust) for (const der of trust.entries) sized('trust_anchor', parsedCertificateSize(model, trust.type, der), true);
  };

  /** Buffers shrink to the fragment length by allocating the new one before freeing the old (ssl_tls.c resize_buffer). */
  const shrinkBuffers = (max_fragment_length: number) => {
    for (const label of ['in_record_buffer', 'out_record_buffer'] as const) {
      const smaller = max_fragment_length + overhead;
      if (smaller >= buffers[label]) continue;
      record(label, smaller);
      record(label, -buffers[label]);
      buffers[label] = smaller;
    }
  };

  return (event) => {
    switch (event.kind) {
      case 'endpoint_init':
        return setup();
      case 'handshake_start': {
        // Mbed TLS keeps the transcript hashes inside its handshake structure; label them apart.
        const transcript = model.transcript_hash_bytes?.value ?? 0;
        hold('handshake_params', model.handshake_params_bytes.value - transcript);
        if (model.transcript_hash_bytes === undefined) gap('transcript hash contexts');
        else hold('transcript_hash', transcript);
        return;
      }
      case 'flight_sent': {
        release('flight_buffer');
        const item = model.flight_item_bytes?.value;
        if (item === undefined) return gap('retransmission (flight) buffer');
        return hold('flight_buffer', event.message_bytes.reduce((n, b) => n + b + item, 0));
      }
      case 'peer_flight_received':
        return release('flight_buffer');
      case 'reassembly_started': {
        if (!model.reassembly) return gap('reassembly buffer');
        // ssl_msg.c ssl_get_reassembly_buffer_size: 12-byte header, the body, a bitmap of one bit per byte.
        const bytes = 12 + event.message_bytes + Math.ceil(event.message_bytes / 8);
        reassembling.set(event.message_seq, bytes);
        return record('reassembly_buffer', bytes);
      }
      case 'message_processed': {
        const bytes = reassembling.get(event.message_seq);
        if (bytes === undefined) return;
        reassembling.delete(event.message_seq);
        return record('reassembly_buffer', -bytes);
      }
      case 'peer_certificates': {
        const label = event.type === 'x509' ? 'peer_certificate' : 'peer_public_key';
        for (const der of event.entries) {
          const size = parsedCertificateSize(model, event.type, der);
          size.missing.forEach(gap);
          if (keepsPeerCertificate) record(label, size.bytes);
          else hold(label, size.bytes);
        }
        return;
      }
      case 'keys_derived':
        return record('session_keys', model.session_bytes.value);
      case 'session_cached':
        if (model.session_cache_entry_bytes === undefined) return gap('session cache entry');
        return record('session_cache_entry', model.session_cache_entry_bytes.value, true);
      case 'ticket_received':
        return record('session_ticket', event.ticket_bytes);
      case 'handshake_done':
        for (const label of [...held.keys()]) release(label);
        if (settings.variable_buffer_length) shrinkBuffers(event.max_fragment_length);
        return;
    }
  };
}
