import { describe, expect, it } from 'vitest';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel, type ClassAModel, type ReplayDatagram } from '../../src/replay/replay_model.js';
import { runTrial, type FrameLogEntry, type TraceEntry } from '../../src/replay/run_trial.js';
import { silentUntil } from '../../src/replay/duty_cycle.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';
import { handshakeModel } from './model_fixture.js';

/** A datagram of several frames, each with its own airtime and byte count. */
function frames(airtimes_ms: number[], bytes: number[]): ReplayDatagram {
  return {
    frames: airtimes_ms.length,
    records: 1,
    bytes: 1,
    bytes_on_air: bytes.reduce((n, b) => n + b, 0),
    airtime_ms: airtimes_ms.reduce((n, a) => n + a, 0),
    frame_airtime_ms: airtimes_ms,
    frame_bytes: bytes,
    delivery_probability: 1,
  };
}

const CLASS_A: ClassAModel = {
  rx1_delay_ms: 1000,
  rx2_delay_ms: 2000,
  rx_window_ms: 10,
  rx1_duty_cycle: 0.01,
  rx2_duty_cycle: 0.1,
  empty_uplink: { airtime_ms: 20, bytes_on_air: 14 },
};

/**
 * The two-flight exchange over a class A link: the client (end device) sends one 100-ms frame,
 * the server answers with two 50-ms frames. Both sides have a 1 % duty cycle; radios listen
 * duty-cycled. No loss, no latency, no CPU unless a test says otherwise.
 */
function classAModel(o: { rx1_duty_cycle?: number; server_step_ms?: number; client_timeout_ms?: number } = {}) {
  return handshakeModel('two-flight', {
    datagrams: { 1: [frames([100], [10])], 2: [frames([50, 50], [20, 20])] },
    client: { initial_timeout_ms: o.client_timeout_ms ?? 1e6, max_timeout_ms: 1e6 },
    server: { step_ms: [0, o.server_step_ms ?? 0, 0] },
    link: { per_frame: true, listen: 'duty-cycled', duty_cycle: { client: 0.01, server: 0.01 }, class_a: { ...CLASS_A, rx1_duty_cycle: o.rx1_duty_cycle ?? 0.01 } },
  });
}

function run(model: ReturnType<typeof classAModel>, seed = 1, trial = 0) {
  const trace: TraceEntry[] = [];
  const log: FrameLogEntry[] = [];
  const r = runTrial(model, seed, trial, trace, log);
  const at = (from: 'client' | 'server') => log.filter((f) => f.from === from).map((f) => [f.start_ms, f.end_ms]);
  return { r, trace, client: at('client'), server: at('server') };
}

describe('the duty cycle', () => {
  it('off time after a frame of airtime T is T x (1 / dc - 1): the next frame starts T / dc after this one started', () => {
    expect(silentUntil(164.864, 164.864, 0.01)).toBeCloseTo(16486.4, 9); // protocols.md 5.1: 16.4864 s
    expect(silentUntil(100, 100, 0.1)).toBeCloseTo(1000, 12);
    expect(silentUntil(100, 100, 1)).toBe(100);
  });

  it('a sender with a 1 % budget spaces the frames of a datagram by 100 x their airtime', () => {
    const model = handshakeModel('two-flight', {
      datagrams: { 1: [frames([100, 30, 30], [1, 1, 1])] },
      client: { initial_timeout_ms: 1e6, max_timeout_ms: 1e6 },
      link: { per_frame: true, listen: 'always-on', duty_cycle: { client: 0.01, server: 1 }, class_a: null },
    });
    const { r, client, server } = run(model as ReturnType<typeof classAModel>);
    // 0-100, then 100 + 9900 = 10000-10030, then 10030 + 2970 = 13000-13030; the answer arrives at once.
    expect(client).toEqual([
      [0, 100],
      [10000, 10030],
      [13000, 13030],
    ]);
    expect(server).toEqual([[13030, 13030]]);
    expect(r.time_ms).toBe(13030);
  });
});

describe('LoRaWAN class A downlinks', () => {
  it('a two-frame answer: RX1 1 s after the uplink, then an empty uplink when the duty cycle allows, then RX1 again', () => {
    const { r, trace, client, server } = run(classAModel());
    // Uplink 0-100 (duty: silent until 10000). Frame 1 of the answer in RX1 at 1100-1150 with
    // FPending; the device's empty uplink waits for its duty cycle: 10000-10020; frame 2 in
    // that uplink's RX1 at 11020-11070 (the gateway's RX1 budget was free again at 6100).
    expect(client).toEqual([
      [0, 100],
      [10000, 10020],
    ]);
    expect(server).toEqual([
      [1100, 1150],
      [11020, 11070],
    ]);
    expect(r.completed).toBe(true);
    expect(r.time_ms).toBe(11070);
    expect(r.retransmissions).toBe(0);
    // The empty uplink is a link frame (14 B) but no datagram.
    expect(r.datagrams_sent).toBe(2);
    expect(r.traffic.client_to_server).toMatchObject({ datagrams: 1, frames: 2, bytes_on_air: 10 + 14 });
    expect(r.traffic.server_to_client).toMatchObject({ datagrams: 1, frames: 2, bytes_on_air: 40 });
    // The server's datagram is traced once, from its first frame.
    expect(trace.filter((e) => e.from === 'server')).toEqual([{ time_ms: 1100, from: 'server', flight: 2, datagram: 0, copy: 1, delivered: true }]);
    // Radio: the device listens only in its windows, each caught a downlink in RX1 (50 ms each);
    // the gateway listens while the device's frames are on the air.
    expect(r.states.client).toMatchObject({ radio_tx: 120, radio_rx: 100, radio_idle: 0, radio_sleep: 11070 - 220 });
    expect(r.states.server).toMatchObject({ radio_tx: 100, radio_rx: 120, radio_sleep: 11070 - 220 });
  });

  it("when the gateway's RX1 budget is spent the frame goes in RX2, 2 s after the uplink; the device listened to an empty RX1 window first", () => {
    // RX1 budget 0.1 %: after the 50-ms frame at 1100 the gateway is silent in RX1 until 51100.
    const { r, server } = run(classAModel({ rx1_duty_cycle: 0.001 }));
    expect(server).toEqual([
      [1100, 1150],
      [12020, 12070],
    ]);
    expect(r.time_ms).toBe(12070);
    // RX1 50 ms; then an empty 10-ms RX1 window and the 50-ms downlink in RX2.
    expect(r.states.client.radio_rx).toBe(50 + 10 + 50);
  });

  it('an answer ready after both windows waits for the next uplink; the deferred retransmission goes out when the duty cycle allows', () => {
    // The server needs 2500 ms: ready at 2600, after RX1 (1100) and RX2 (2100) of the only uplink.
    // The client's 3-s timer fires at 3100; its duty cycle holds it until 10000.
    const { r, client, server } = run(classAModel({ server_step_ms: 2500, client_timeout_ms: 3000 }));
    expect(client).toEqual([
      [0, 100],
      [10000, 10100], // the retransmission, deferred from 3100
      [20000, 20100], // the next one (timer doubled to 6 s: due at 16100), deferred again
    ]);
    // Frame 1 in RX1 of the retransmission; frame 2 in RX1 of the next uplink.
    expect(server).toEqual([
      [11100, 11150],
      [21100, 21150],
    ]);
    expect(r.completed).toBe(true);
    expect(r.time_ms).toBe(21150);
    // Client: 2 timer retransmissions. Server: it answered each repeated request by queueing
    // its flight again (2), behind the first copy (RFC 6347 4.2.4; the network keeps the order).
    expect(r.retransmissions).toBe(4);
    // The device opened windows after every uplink: the 10-ms windows that caught nothing count.
    // Uplink 1: RX1 + RX2 empty; uplink 2: RX1 50; uplink 3: RX1 50.
    expect(r.states.client.radio_rx).toBe(10 + 10 + 50 + 50);
  });
});

describe('class A and duty cycles on the real lora-sf7 profile, with loss', () => {
  const scenario = loadScenario(
    tempScenario(
      MINIMAL_SCENARIO.replace('profile: ieee802154-6lowpan, loss: 0.1', 'profile: lora-sf7, loss: 0.15').replace('trials: 200', 'trials: 40') +
        'cookie: false\ntimers: { initial_ms: 9000 }\n',
    ),
  );
  const variant = scenario.variants[0]!;
  const model = buildReplayModel(variant, transcriptFor(variant, scenario.seed));
  const ca = model.link.class_a!;

  it('every frame respects the class A rules and the duty cycles, in every trial', () => {
    let downlinks = 0;
    for (let t = 0; t < 40; t++) {
      const { client, server } = run(model as ReturnType<typeof classAModel>, scenario.seed, t);
      // The device: after each uplink, silent for 99 x its airtime (1 %) and until its RX2 window closed.
      for (let i = 1; i < client.length; i++) {
        const [s0, e0] = client[i - 1]!;
        const gap = client[i]![0]! - e0!;
        expect(gap).toBeGreaterThanOrEqual((e0! - s0!) * 99 - 1e-6);
        expect(gap).toBeGreaterThanOrEqual(ca.rx2_delay_ms + ca.rx_window_ms - 1e-6);
      }
      // The network: every downlink starts exactly RX1 or RX2 after the end of an uplink, at most one per uplink.
      const used = new Set<number>();
      for (const [start] of server) {
        const i = client.findIndex(([, end]) => Math.abs(start! - end! - ca.rx1_delay_ms) < 1e-6 || Math.abs(start! - end! - ca.rx2_delay_ms) < 1e-6);
        expect(i, `downlink at ${start} ms has no uplink ${ca.rx1_delay_ms} or ${ca.rx2_delay_ms} ms before it`).toBeGreaterThanOrEqual(0);
        expect(used.has(i)).toBe(false);
        used.add(i);
        downlinks++;
      }
    }
    expect(downlinks).toBeGreaterThan(40);
  });

  it('the lossless handshake takes at least the duty-cycle waits of its uplinks', () => {
    const lossless = buildReplayModel({ ...variant, link: { ...variant.link, loss: { client_to_server: { model: 'bernoulli', frame_loss: 0 }, server_to_client: { model: 'bernoulli', frame_loss: 0 } } } }, transcriptFor(variant, scenario.seed));
    const { r, client } = run(lossless as ReturnType<typeof classAModel>);
    expect(r.completed).toBe(true);
    // Two client flights of one frame each: the second starts 100 x the first one's airtime
    // after the first started (it is ready long before: the answer comes in RX1, 1 s later).
    const first = client[0]![1]! - client[0]![0]!;
    expect(client[1]![0]! - client[0]![0]!).toBeCloseTo(first / 0.01, 6);
    expect(r.time_ms).toBeGreaterThan(first / 0.01);
  });
});
