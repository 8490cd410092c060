import { describe, expect, it } from 'vitest';
import type { ArqModel } from '../../src/replay/link_arq.js';
import { runTrial, type FrameLogEntry } from '../../src/replay/run_trial.js';
import { datagram, handshakeModel, ieee802154Arq } from './model_fixture.js';

/*
 * The link's own acknowledgements and retries (src/replay/link_arq.ts) on hand-built two-flight
 * exchanges: a client request with a timer, a server answer. 802.15.4 figures come from
 * ieee802154Arq (backoffs 0 where exact times are asserted).
 */
const IEEE802154 = ieee802154Arq();
const lossOf = (up: number, down = 0) => ({
  client_to_server: { model: 'bernoulli' as const, frame_loss: up },
  server_to_client: { model: 'bernoulli' as const, frame_loss: down },
});
const oneFrame = (index: number, airtime_ms: number, bytes = 133) =>
  datagram(index, { frames: 1, airtime_ms, frame_airtime_ms: [airtime_ms], frame_bytes: [bytes] });

function run(arq: ArqModel, o: { up?: number; down?: number; give_up_ms?: number; airtime_ms?: number; listen?: 'always-on' | 'duty-cycled'; trial?: number } = {}) {
  const airtime = o.airtime_ms ?? 4.256;
  const model = handshakeModel('two-flight', {
    datagrams: { 1: [oneFrame(1, airtime)], 2: [oneFrame(2, airtime)] },
    loss: lossOf(o.up ?? 0, o.down ?? 0),
    link: { per_frame: true, listen: o.listen ?? 'always-on', arq },
    ...(o.give_up_ms !== undefined ? { give_up_ms: o.give_up_ms } : {}),
  });
  const log: FrameLogEntry[] = [];
  const r = runTrial(model, 5, o.trial ?? 0, undefined, log);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  const frames = (from: 'client' | 'server') => log.filter((f) => f.from === from).map((f) => [round(f.start_ms), round(f.end_ms)]);
  return { r, log, client: frames('client'), server: frames('server') };
}

describe('IEEE 802.15.4 MAC: CSMA-CA, acknowledgement, retries', () => {
  it('a lossless exchange: CCA + turnaround, frame, turnaround + 11-byte ACK; the answer waits for the server radio to finish its ACK', () => {
    const { r, client, server } = run(IEEE802154);
    // Client: CCA 0-0.128, turnaround to 0.32, frame 0.32-4.576. Server ACK 0.192 later: 4.768-5.12.
    // The server's answer: its radio is busy until 5.12, then CCA + turnaround: 5.44-9.696; the
    // client's ACK follows at 9.888-10.24.
    expect(client).toEqual([
      [0.32, 4.576],
      [9.888, 10.24],
    ]);
    expect(server).toEqual([
      [4.768, 5.12],
      [5.44, 9.696],
    ]);
    expect(r.time_ms).toBeCloseTo(9.696, 9);
    // Bytes on air count the ACK frames in the direction that sends them.
    expect(r.traffic.client_to_server).toMatchObject({ frames: 2, bytes_on_air: 133 + 11 });
    expect(r.traffic.server_to_client).toMatchObject({ frames: 2, bytes_on_air: 133 + 11 });
  });

  it('a frame lost every time is sent 1 + macMaxFrameRetries = 4 times, each after the ACK wait, and the datagram is lost', () => {
    const { r, client, server } = run(IEEE802154, { up: 1, give_up_ms: 500 });
    // Attempt k starts at 0.32 + k x (0.32 + 4.256 + 0.864) = 0.32 + 5.44 k.
    expect(client).toEqual([0, 1, 2, 3].map((k) => [Math.round((0.32 + 5.44 * k) * 1e6) / 1e6, Math.round((4.576 + 5.44 * k) * 1e6) / 1e6]));
    expect(server).toEqual([]);
    expect(r.completed).toBe(false);
    expect(r.traffic.client_to_server).toMatchObject({ datagrams: 1, frames: 4, bytes_on_air: 4 * 133 });
  });

  it('a lost ACK makes the sender try again although the frame arrived: the receiver acknowledges each copy', () => {
    // Server-to-client loss 1: every ACK of the client's frame is lost; the frame itself arrives.
    const { client, server } = run(IEEE802154, { down: 1, give_up_ms: 500 });
    expect(client.filter(([s, e]) => e! - s! > 1)).toHaveLength(4);
    expect(server.filter(([s, e]) => e! - s! < 1)).toHaveLength(4);
  });

  it('a busy channel: after macMaxCSMABackoffs + 1 = 5 busy CCAs the MAC gives up without sending', () => {
    const busy = ieee802154Arq({}, { cca_busy: 1 });
    const { r, client } = run(busy, { give_up_ms: 500, listen: 'duty-cycled' });
    expect(client).toEqual([]);
    expect(r.traffic.client_to_server).toMatchObject({ datagrams: 1, frames: 0 });
    // Duty-cycled listening charges exactly the five CCAs (backoffs are 0 here).
    expect(r.states.client.radio_rx).toBeCloseTo(5 * 0.128, 12);
    expect(r.states.client.radio_tx).toBe(0);
  });

  it('backoffs are whole unit periods in [0, 2^BE - 1], BE growing from macMinBE to macMaxBE on busy CCAs', () => {
    const real = ieee802154Arq({}, { min_be: 3, max_be: 5, cca_busy: 0.5 });
    for (let trial = 0; trial < 200; trial++) {
      const { client } = run(real, { give_up_ms: 500, trial });
      if (client.length === 0) continue; // channel access failure
      // The first attempt starts after k backoffs and k CCAs (k = 1..5) and one turnaround:
      // start = units x 0.32 + k x 0.128 + 0.192, with units <= 7 + 15 + 31 + 31 + 31.
      const start = client[0]![0]!;
      const fits = [1, 2, 3, 4, 5].some((k) => {
        const units = (start - 0.192 - k * 0.128) / 0.32;
        return Math.abs(units - Math.round(units)) < 1e-6 && units >= 0 && units <= [7, 22, 53, 84, 115][k - 1]!;
      });
      expect(fits, `first frame at ${start} ms`).toBe(true);
    }
  });
});

describe('BLE connection events', () => {
  const BLE: ArqModel = {
    access: 'connection-events',
    max_frame_retries: Infinity,
    turnaround_ms: 0.15,
    ack: { airtime_ms: 0.08, bytes: 10 },
    ack_wait_ms: 0.23,
    csma: null,
    dcf: null,
    connection: { interval_ms: 30, supervision_timeout_ms: 420 },
  };

  it('packets go out only in connection events, 30 ms apart; after a success the next packet follows T_IFS after the answer', () => {
    for (let trial = 0; trial < 50; trial++) {
      const model = handshakeModel('two-flight', {
        datagrams: {
          1: [datagram(1, { frames: 3, airtime_ms: 3, frame_airtime_ms: [1, 1, 1], frame_bytes: [1, 0, 0] })],
          2: [oneFrame(2, 1)],
        },
        loss: lossOf(0.3, 0.3),
        link: { per_frame: true, arq: BLE },
      });
      const log: FrameLogEntry[] = [];
      const r = runTrial(model, 9, trial, undefined, log);
      const data = log.filter((f) => f.end_ms - f.start_ms > 0.5);
      const anchor = data[0]!.start_ms % 30;
      let prevEnd = -Infinity;
      for (const f of data) {
        const k = (f.start_ms - anchor) / 30;
        const onGrid = Math.abs(k - Math.round(k)) < 1e-9;
        // Continuation: T_IFS, the peer's 80-us answer, T_IFS.
        const continues = Math.abs(f.start_ms - (prevEnd + 0.15 + 0.08 + 0.15)) < 1e-9;
        expect(onGrid || continues, `packet at ${f.start_ms} ms (anchor ${anchor})`).toBe(true);
        prevEnd = f.end_ms;
      }
      expect(r.completed).toBe(true);
    }
  });

  it('a packet that never gets through is retried in every event until the supervision timeout (420 ms), then lost', () => {
    const { client, server, r } = run(BLE, { up: 1, give_up_ms: 900, airtime_ms: 1 });
    const data = client.filter(([s, e]) => e! - s! > 0.5);
    // Attempts in consecutive events; the last one ends (with its answer wait) 420 ms or more after the first was ready (t = 0).
    for (let i = 1; i < data.length; i++) expect(data[i]![0]! - data[i - 1]![0]!).toBeCloseTo(30, 9);
    const last = data[data.length - 1]!;
    expect(last[1]! + 0.23).toBeGreaterThanOrEqual(420);
    expect(last[1]! + 0.23 - 30).toBeLessThan(420);
    expect(server).toEqual([]);
    expect(r.completed).toBe(false);
  });
});

describe('802.11 DCF', () => {
  const WIFI: ArqModel = {
    access: 'dcf',
    max_frame_retries: 7,
    turnaround_ms: 0.01,
    ack: { airtime_ms: 0.028, bytes: 14 },
    ack_wait_ms: 0.044,
    csma: null,
    dcf: { difs_ms: 0.028, slot_ms: 0.009, cw_min: 15, cw_max: 1023 },
    connection: null,
  };

  it('a frame lost every time goes out 1 + 7 times; each attempt waits DIFS + a backoff from a window that doubles from 15', () => {
    const { client } = run(WIFI, { up: 1, give_up_ms: 500, airtime_ms: 0.06 });
    expect(client).toHaveLength(8);
    let prevEnd = 0;
    client.forEach(([start, end], attempt) => {
      const gap = start! - (attempt === 0 ? 0 : prevEnd + 0.044);
      const slots = (gap - 0.028) / 0.009;
      expect(Math.abs(slots - Math.round(slots))).toBeLessThan(1e-6);
      expect(Math.round(slots)).toBeLessThanOrEqual(Math.min(16 * 2 ** attempt - 1, 1023));
      prevEnd = end!;
    });
  });
});
