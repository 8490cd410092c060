import { isIP } from 'node:net';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { OpMeter } from '../crypto/meter.js';
import { MeteredCrypto } from '../crypto/metered_crypto.js';
import { systemRandom } from '../crypto/random_source.js';
import { UdpSession, type UdpAddress } from '../interop/udp_session.js';
import { CIPHER_SUITE_NAMES, CIPHER_SUITES, type CipherSuiteName } from '../protocol/dtls12/cipher_suites.js';
import { Dtls12Client } from '../protocol/dtls12/client.js';
import { smallestMtuBytes, type Dtls12Endpoint } from '../protocol/dtls12/endpoint.js';
import { Dtls12Server } from '../protocol/dtls12/server.js';
import { InputError } from '../scenario/errors.js';
import { describeDatagram } from '../transcript/describe_datagram.js';
import { EXIT } from './exit_codes.js';

interface InteropArgs {
  role: 'client' | 'server';
  connect?: string;
  listen?: string;
  protocol: 'dtls1.2';
  auth: 'psk';
  cipherSuite: CipherSuiteName;
  pskIdentity?: string;
  psk?: string;
  pskHint?: string;
  cookie: boolean;
  extendedMasterSecret: boolean;
  encryptThenMac: boolean;
  maxFragmentLength?: number;
  mtu: number;
  message: string;
  timeoutMs: number;
  format: 'table' | 'json';
}

/** HOST:PORT, [IPv6]:PORT or PORT; the host defaults to 127.0.0.1. */
export function parseAddress(flag: string, value: string): UdpAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(value) ?? /^()()(\d+)$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new InputError(`--${flag}: got ${JSON.stringify(value)}, expected HOST:PORT, [IPv6]:PORT or PORT with a port from 1 to 65535`);
  const host = m[1] || m[2] || '127.0.0.1';
  if (host !== 'localhost' && isIP(host) === 0)
    throw new InputError(`--${flag}: got host ${JSON.stringify(host)}, expected an IP address (or localhost); names are not resolved`);
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

function pskBytes(hex: string | undefined): Uint8Array {
  if (hex === undefined) throw new InputError('--psk: missing; expected the pre-shared key in hex (--auth psk)');
  if (!/^([0-9a-fA-F]{2}){1,64}$/.test(hex)) throw new InputError(`--psk: got ${JSON.stringify(hex)}, expected 1 to 64 bytes of hex`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function wholeNumber(flag: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new InputError(`--${flag}: got ${String(v)}, expected a whole number from ${min} to ${max}`);
  return v;
}

function report(args: InteropArgs, session: UdpSession, ep: Dtls12Endpoint | undefined, roundTrip: boolean, peer: UdpAddress | undefined) {
  return {
    role: args.role,
    protocol: args.protocol,
    auth: args.auth,
    cipher_suite: args.cipherSuite,
    peer: peer ? `${peer.host}:${peer.port}` : null,
    handshake_completed: ep?.state === 'connected' || (ep?.state === 'closed' && roundTrip),
    /** Encrypt-then-MAC negotiated (RFC 7366; only ever with a CBC suite). */
    encrypt_then_mac: ep?.encryptThenMac ?? false,
    message_round_tripped: roundTrip,
    failure: ep?.failure ?? null,
    retransmissions: ep?.retransmissions ?? 0,
    datagrams: session.wire.map((w) => ({
      direction: w.direction,
      at_ms: w.at_ms,
      bytes: w.datagram.length,
      messages: describeDatagram(w.datagram).messages,
      hex: Buffer.from(w.datagram).toString('hex'),
    })),
  };
}

function formatTable(r: ReturnType<typeof report>): string {
  const lines = r.datagrams.map(
    (d) => `${`+${d.at_ms} ms`.padStart(10)}  ${d.direction.padEnd(8)}  ${`${d.bytes} B`.padStart(7)}  ${d.messages.join(', ')}`,
  );
  const verdict = r.message_round_tripped
    ? `handshake completed (${r.protocol} ${r.auth} ${r.cipher_suite}) and the message round-tripped`
    : r.failure
      ? `failed: ${r.failure.alert} (${r.failure.raised_by === 'local' ? 'we raised it' : 'the peer sent it'}): ${r.failure.reason}`
      : r.handshake_completed
        ? 'handshake completed, but the message did not come back before the timeout'
        : 'no handshake before the timeout';
  return [`${r.role} ${r.peer ? `with ${r.peer}` : '(no peer)'}`, ...lines, verdict, ''].join('\n');
}

export const interopCommand: CommandModule<object, InteropArgs> = {
  command: 'interop',
  describe: 'Handshake with a real peer over UDP (our client or server), send a message, print the flights',
  builder: (y: Argv) =>
    y
      .option('role', { choices: ['client', 'server'] as const, demandOption: true, describe: 'Which side we play' })
      .option('connect', { type: 'string', requiresArg: true, describe: 'client: the peer, HOST:PORT (host defaults to 127.0.0.1)' })
      .option('listen', { type: 'string', requiresArg: true, describe: 'server: where to listen, HOST:PORT (host defaults to 127.0.0.1)' })
      .option('protocol', { choices: ['dtls1.2'] as const, default: 'dtls1.2' as const })
      .option('auth', { choices: ['psk'] as const, default: 'psk' as const })
      .option('cipher-suite', { choices: CIPHER_SUITE_NAMES, default: 'TLS_PSK_WITH_AES_128_CCM_8' as CipherSuiteName })
      .option('psk-identity', { type: 'string', requiresArg: true, describe: 'PSK identity (client: sent; server: the one identity we accept)' })
      .option('psk', { type: 'string', requiresArg: true, describe: 'PSK in hex' })
      .option('psk-hint', { type: 'string', requiresArg: true, describe: 'server: send a ServerKeyExchange with this identity hint' })
      .option('cookie', { type: 'boolean', default: true, describe: 'server: HelloVerifyRequest cookie exchange (--no-cookie to skip)' })
      .option('extended-master-secret', { type: 'boolean', default: true, describe: 'Offer/accept the extended master secret, RFC 7627 (--no-extended-master-secret to skip)' })
      .option('encrypt-then-mac', { type: 'boolean', default: true, describe: 'Offer/accept encrypt-then-MAC for CBC suites, RFC 7366 (--no-encrypt-then-mac to skip)' })
      .option('max-fragment-length', { type: 'number', requiresArg: true, describe: 'client: ask for this record size limit, RFC 6066 (512, 1024, 2048 or 4096)' })
      .option('mtu', { type: 'number', requiresArg: true, default: 1200, describe: 'Largest datagram we send' })
      .option('message', { type: 'string', requiresArg: true, default: 'hello from handshake-sim', describe: 'client: application data to send and expect back' })
      .option('timeout-ms', { type: 'number', requiresArg: true, default: 10_000, describe: 'Give up after this long' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const }) as unknown as Argv<InteropArgs>,
  handler: async (args: ArgumentsCamelCase<InteropArgs>) => {
    // The suite's largest record must fit with at least one byte of a handshake message.
    const mtu = wholeNumber('mtu', args.mtu, Math.max(64, smallestMtuBytes(CIPHER_SUITES[args.cipherSuite])), 65507);
    const timeout = wholeNumber('timeout-ms', args.timeoutMs, 1, 3_600_000);
    if (args.pskIdentity === undefined) throw new InputError('--psk-identity: missing; expected the PSK identity (--auth psk)');
    const identity = new TextEncoder().encode(args.pskIdentity);
    const psk = pskBytes(args.psk);
    const common = {
      mtu_bytes: mtu,
      initial_timeout_ms: 1000,
      max_timeout_ms: 60_000,
      max_handshake_message_bytes: 16_384,
      cipher_suites: [args.cipherSuite],
      extended_master_secret: args.extendedMasterSecret,
      encrypt_then_mac: args.encryptThenMac,
    };
    const crypto = (role: 'client' | 'server') => new MeteredCrypto(role, new OpMeter(), systemRandom);

    let session: UdpSession;
    let roundTrip = false;
    let peer: UdpAddress | undefined;
    if (args.role === 'client') {
      if (args.connect === undefined) throw new InputError('--connect: missing; the client needs the peer as HOST:PORT');
      if (args.listen !== undefined) throw new InputError('--listen: only for --role server');
      peer = parseAddress('connect', args.connect);
      const mfl = args.maxFragmentLength;
      if (mfl !== undefined && ![512, 1024, 2048, 4096].includes(mfl))
        throw new InputError(`--max-fragment-length: got ${String(mfl)}, expected 512, 1024, 2048 or 4096`);
      const client = new Dtls12Client(crypto('client'), { ...common, psk: { identity, key: psk }, ...(mfl !== undefined ? { max_fragment_length: mfl } : {}) });
      session = new UdpSession(client, isIP(peer.host) === 6 ? 'udp6' : 'udp4');
      await session.bind(isIP(peer.host) === 6 ? '::' : '0.0.0.0', 0);
      session.connect(peer);
      client.start(Date.now());
      session.flush();
      const deadline = Date.now() + timeout;
      if (await session.until(() => client.state !== 'handshaking', timeout)) {
        if (client.state === 'connected') {
          const message = new TextEncoder().encode(args.message);
          client.sendApplicationData(message);
          session.flush();
          await session.until(() => session.received.length > 0 || client.state !== 'connected', Math.max(1, deadline - Date.now()));
          roundTrip = session.received.some((m) => Buffer.from(m).equals(Buffer.from(message)));
        }
      }
      const r = report(args, session, client, roundTrip, peer);
      process.stdout.write(args.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatTable(r));
    } else {
      if (args.listen === undefined) throw new InputError('--listen: missing; the server needs HOST:PORT to listen on');
      if (args.connect !== undefined) throw new InputError('--connect: only for --role client');
      const local = parseAddress('listen', args.listen);
      let server: Dtls12Server | undefined;
      session = new UdpSession((from) => {
        peer = from;
        server = new Dtls12Server(crypto('server'), {
          ...common,
          psk_for_identity: (id) => (Buffer.from(id).equals(Buffer.from(identity)) ? psk : undefined),
          ...(args.pskHint !== undefined ? { psk_identity_hint: new TextEncoder().encode(args.pskHint) } : {}),
          cookie: args.cookie,
          cookie_secret: systemRandom(32),
          cookie_bytes: 32,
          session_id_bytes: 32,
          peer_id: new TextEncoder().encode(`${from.host}:${from.port}`),
        });
        return server;
      }, isIP(local.host) === 6 ? 'udp6' : 'udp4');
      try {
        await session.bind(local.host, local.port);
      } catch (e) {
        throw new InputError(`--listen: cannot listen on ${args.listen}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      process.stderr.write(`listening on ${local.host}:${session.socket.address().port}\n`);
      if (await session.until(() => session.received.length > 0 || server?.state === 'failed' || server?.state === 'closed', timeout)) {
        if (server?.state === 'connected' && session.received.length > 0) {
          // Echo the first message back; the peer checks the round trip.
          server.sendApplicationData(session.received[0]!);
          session.flush();
          roundTrip = true;
          await new Promise((r) => setTimeout(r, 100)); // let the datagram leave before the socket closes
        }
      }
      const r = report(args, session, server, roundTrip, peer);
      process.stdout.write(args.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatTable(r));
    }
    session.close();
    process.exitCode = roundTrip ? EXIT.ok : EXIT.check_failed;
  },
};
