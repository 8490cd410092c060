import { isIP } from 'node:net';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { OpMeter } from '../crypto/meter.js';
import { MeteredCrypto } from '../crypto/metered_crypto.js';
import { systemRandom } from '../crypto/random_source.js';
import { UdpSession, type UdpAddress } from '../interop/udp_session.js';
import { CIPHER_SUITE_NAMES, CIPHER_SUITES, type CipherSuiteName } from '../protocol/dtls12/cipher_suites.js';
import { Dtls12Client } from '../protocol/dtls12/client.js';
import { smallestMtuBytes } from '../protocol/dtls12/endpoint.js';
import { GROUP_NAMES } from '../protocol/dtls12/groups_and_signatures.js';
import { Dtls12Server } from '../protocol/dtls12/server.js';
import { InputError } from '../scenario/errors.js';
import { AUTH_MODES, type AuthMode } from '../scenario/scenario_schema.js';
import { EXIT } from './exit_codes.js';
import { clientAuth, serverAuth, type AuthFlags, type AuthSummary } from './interop_credentials.js';
import { formatInteropTable, interopReport, type InteropRun } from './interop_report.js';

/** The authentication flags (role, auth, suite, group, PSK, PEM files) and the rest. */
interface InteropArgs extends AuthFlags {
  connect?: string;
  listen?: string;
  protocol: 'dtls1.2';
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

function wholeNumber(flag: string, v: number, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new InputError(`--${flag}: got ${String(v)}, expected a whole number from ${min} to ${max}`);
  return v;
}

/** yargs collects a flag given twice into an array; each of ours takes one value. */
function refuseRepeatedFlags(args: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(args)) {
    // yargs lists each flag under its kebab-case name and a camelCase alias; report the former.
    if (key === '_' || key !== key.toLowerCase() || !Array.isArray(value)) continue;
    throw new InputError(`--${key}: given ${value.length} times (${value.map(String).join(', ')}), expected once`);
  }
}

/** What both roles share: the record and timer settings, and where the report goes. */
interface RunSettings {
  args: InteropArgs;
  mtu_bytes: number;
  timeout_ms: number;
  settings: AuthSummary;
}

function endpointCommon(run: RunSettings) {
  return {
    mtu_bytes: run.mtu_bytes,
    // RFC 6347 §4.2.4.1 timer values: a real peer on loopback answers well within the first.
    initial_timeout_ms: 1000,
    max_timeout_ms: 60_000,
    max_handshake_message_bytes: 16_384,
    extended_master_secret: run.args.extendedMasterSecret,
    encrypt_then_mac: run.args.encryptThenMac,
  };
}

/** The suite's largest record must fit with at least one byte of a handshake message. */
function checkedMtu(args: InteropArgs, suite: CipherSuiteName): number {
  return wholeNumber('mtu', args.mtu, Math.max(64, smallestMtuBytes(CIPHER_SUITES[suite])), 65507);
}

function print(run: RunSettings, result: Omit<InteropRun, 'role' | 'protocol' | 'auth' | 'settings'>): void {
  const r = interopReport({ role: run.args.role, protocol: run.args.protocol, auth: run.args.auth, settings: run.settings, ...result });
  process.stdout.write(run.args.format === 'json' ? JSON.stringify(r, null, 2) + '\n' : formatInteropTable(r));
}

/** Our client: handshake, send --message, wait for it to come back. True when it did. */
async function runClient(args: InteropArgs): Promise<boolean> {
  if (args.connect === undefined) throw new InputError('--connect: missing; the client needs the peer as HOST:PORT');
  if (args.listen !== undefined) throw new InputError('--listen: only for --role server');
  const peer = parseAddress('connect', args.connect);
  const mfl = args.maxFragmentLength;
  if (mfl !== undefined && ![512, 1024, 2048, 4096].includes(mfl))
    throw new InputError(`--max-fragment-length: got ${String(mfl)}, expected 512, 1024, 2048 or 4096`);
  const crypto = new MeteredCrypto('client', new OpMeter(), systemRandom);
  const auth = clientAuth(args, crypto);
  const run: RunSettings = { args, mtu_bytes: checkedMtu(args, auth.summary.cipher_suite), timeout_ms: wholeNumber('timeout-ms', args.timeoutMs, 1, 3_600_000), settings: auth.summary };

  const client = new Dtls12Client(crypto, { ...endpointCommon(run), ...auth.options, ...(mfl !== undefined ? { max_fragment_length: mfl } : {}) });
  const session = new UdpSession(client, isIP(peer.host) === 6 ? 'udp6' : 'udp4');
  let roundTrip = false;
  try {
    await session.bind(isIP(peer.host) === 6 ? '::' : '0.0.0.0', 0);
    session.connect(peer);
    client.start(Date.now());
    session.flush();
    const deadline = Date.now() + run.timeout_ms;
    if ((await session.until(() => client.state !== 'handshaking', run.timeout_ms)) && client.state === 'connected') {
      const message = new TextEncoder().encode(args.message);
      client.sendApplicationData(message);
      session.flush();
      await session.until(() => session.received.length > 0 || client.state !== 'connected', Math.max(1, deadline - Date.now()));
      roundTrip = session.received.some((m) => Buffer.from(m).equals(Buffer.from(message)));
    }
    print(run, { wire: session.wire, endpoint: client, round_trip: roundTrip, peer });
  } finally {
    session.close();
  }
  return roundTrip;
}

/** Our server: accept one handshake, echo the first message. True when it echoed one. */
async function runServer(args: InteropArgs): Promise<boolean> {
  if (args.listen === undefined) throw new InputError('--listen: missing; the server needs HOST:PORT to listen on');
  if (args.connect !== undefined) throw new InputError('--connect: only for --role client');
  if (args.maxFragmentLength !== undefined) throw new InputError('--max-fragment-length: only for --role client (the client asks for it)');
  const local = parseAddress('listen', args.listen);
  const crypto = new MeteredCrypto('server', new OpMeter(), systemRandom);
  const auth = serverAuth(args, crypto);
  const run: RunSettings = { args, mtu_bytes: checkedMtu(args, auth.summary.cipher_suite), timeout_ms: wholeNumber('timeout-ms', args.timeoutMs, 1, 3_600_000), settings: auth.summary };

  let server: Dtls12Server | undefined;
  let peer: UdpAddress | undefined;
  const session = new UdpSession((from) => {
    peer = from;
    server = new Dtls12Server(crypto, {
      ...endpointCommon(run),
      ...auth.options,
      cookie: args.cookie,
      cookie_secret: systemRandom(32),
      cookie_bytes: 32,
      session_id_bytes: 32,
      peer_id: new TextEncoder().encode(`${from.host}:${from.port}`),
    });
    return server;
  }, isIP(local.host) === 6 ? 'udp6' : 'udp4');
  let roundTrip = false;
  try {
    try {
      await session.bind(local.host, local.port);
    } catch (e) {
      throw new InputError(`--listen: cannot listen on ${args.listen}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    process.stderr.write(`listening on ${local.host}:${session.socket.address().port}\n`);
    const done = () => session.received.length > 0 || server?.state === 'failed' || server?.state === 'closed';
    if ((await session.until(done, run.timeout_ms)) && server?.state === 'connected' && session.received.length > 0) {
      // Echo the first message back; the peer checks the round trip.
      server.sendApplicationData(session.received[0]!);
      session.flush();
      roundTrip = true;
      await new Promise((r) => setTimeout(r, 100)); // let the datagram leave before the socket closes
    }
    print(run, { wire: session.wire, endpoint: server, round_trip: roundTrip, peer });
  } finally {
    session.close();
  }
  return roundTrip;
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
      .option('auth', { choices: AUTH_MODES, default: 'psk' as AuthMode, describe: 'psk, ecdhe-psk (RFC 5489), cert (X.509) or rpk (raw public keys, RFC 7250)' })
      .option('cipher-suite', { choices: CIPHER_SUITE_NAMES, describe: "default: the mode's CCM_8 suite (ecdhe-psk: its CBC one; cert with an RSA --key: ECDHE_RSA GCM)" })
      .option('group', { choices: GROUP_NAMES, describe: 'ECDHE group for ecdhe-psk, cert and rpk (default secp256r1)' })
      .option('psk-identity', { type: 'string', requiresArg: true, describe: 'psk, ecdhe-psk: PSK identity (client: sent; server: the one identity we accept)' })
      .option('psk', { type: 'string', requiresArg: true, describe: 'psk, ecdhe-psk: the key in hex' })
      .option('psk-hint', { type: 'string', requiresArg: true, describe: 'server, psk and ecdhe-psk: send this identity hint in a ServerKeyExchange' })
      .option('cert', { type: 'string', requiresArg: true, describe: 'cert: PEM file with our certificate, then its chain (server: required; client: sent when asked)' })
      .option('key', { type: 'string', requiresArg: true, describe: "cert: PEM private key of --cert's first certificate (P-256 or RSA-2048)" })
      .option('ca', { type: 'string', requiresArg: true, describe: "cert: PEM CA certificate(s) the peer's chain must lead to (client: required; server: asks for a client certificate)" })
      .option('rpk-key', { type: 'string', requiresArg: true, describe: 'rpk: our P-256 private key, PEM; its public key is what we send (server: required; client: sent when asked)' })
      .option('peer-rpk', { type: 'string', requiresArg: true, describe: "rpk: the peer's pinned public key, PEM as `openssl pkey -pubout` writes it (client: required; server: asks for the client's)" })
      .option('cookie', { type: 'boolean', default: true, describe: 'server: HelloVerifyRequest cookie exchange (--no-cookie to skip)' })
      .option('extended-master-secret', { type: 'boolean', default: true, describe: 'Offer/accept the extended master secret, RFC 7627 (--no-extended-master-secret to skip)' })
      .option('encrypt-then-mac', { type: 'boolean', default: true, describe: 'Offer/accept encrypt-then-MAC for CBC suites, RFC 7366 (--no-encrypt-then-mac to skip)' })
      .option('max-fragment-length', { type: 'number', requiresArg: true, describe: 'client: ask for this record size limit, RFC 6066 (512, 1024, 2048 or 4096)' })
      .option('mtu', { type: 'number', requiresArg: true, default: 1200, describe: 'Largest datagram we send' })
      .option('message', { type: 'string', requiresArg: true, default: 'hello from handshake-sim', describe: 'client: application data to send and expect back' })
      .option('timeout-ms', { type: 'number', requiresArg: true, default: 10_000, describe: 'Give up after this long' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const }) as unknown as Argv<InteropArgs>,
  handler: async (args: ArgumentsCamelCase<InteropArgs>) => {
    refuseRepeatedFlags(args);
    const roundTrip = args.role === 'client' ? await runClient(args) : await runServer(args);
    process.exitCode = roundTrip ? EXIT.ok : EXIT.check_failed;
  },
};
