import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';
import { scenarioErrorOf } from '../helpers/scenario_error.js';

const withLink = (link: string) => MINIMAL_SCENARIO.replace('link: { profile: ieee802154-6lowpan, loss: 0.1 }', `link: ${link}`);
const linkOf = (link: string) => loadScenario(tempScenario(withLink(link))).variants[0]!.link;

const errorOf = (link: string) => scenarioErrorOf(withLink(link));

describe('link options: duty cycle and listen mode', () => {
  it('defaults come from the profile: LoRa 1 % both ways and duty-cycled listening; 802.15.4 no limit and always-on', () => {
    expect(linkOf('{ profile: lora-sf9 }')).toMatchObject({ duty_cycle: { client_to_server: 0.01, server_to_client: 0.01 }, radio_listen: 'duty-cycled' });
    expect(linkOf('{ profile: ieee802154-6lowpan }')).toMatchObject({ duty_cycle: { client_to_server: 1, server_to_client: 1 }, radio_listen: 'always-on' });
  });

  it('a scenario overrides them, for both directions or per direction', () => {
    expect(linkOf('{ profile: lora-sf9, duty_cycle: 0.1, radio_listen: always-on }')).toMatchObject({
      duty_cycle: { client_to_server: 0.1, server_to_client: 0.1 },
      radio_listen: 'always-on',
    });
    expect(linkOf('{ profile: ieee802154-6lowpan, duty_cycle: { client_to_server: 0.01, server_to_client: 1 } }').duty_cycle).toEqual({
      client_to_server: 0.01,
      server_to_client: 1,
    });
  });

  it('rejects bad values with the field, the value and what was expected', () => {
    expect(errorOf('{ profile: lora-sf9, duty_cycle: 0 }')).toContain('link.duty_cycle: got 0, expected');
    expect(errorOf('{ profile: lora-sf9, duty_cycle: 1.5 }')).toContain('link.duty_cycle: got 1.5');
    expect(errorOf('{ profile: lora-sf9, radio_listen: sometimes }')).toMatch(/link\.radio_listen: got "sometimes", expected one of "always-on", "duty-cycled"/);
  });

  it('refuses a bit rate for LoRa, whose airtime follows from the modulation', () => {
    expect(errorOf('{ profile: lora-sf9, bitrate_bps: 5000 }')).toContain(
      'link.bitrate_bps: got 5000, but link lora-sf9 (framing lorawan) takes its airtime from the spreading factor, bandwidth and coding rate',
    );
  });
});

describe('link options: MAC acknowledgements, BLE and cellular settings', () => {
  it('802.15.4 acknowledgements are off by default; on, CSMA-CA is drawn per frame and latency/jitter default to 0', () => {
    expect(linkOf('{ profile: ieee802154-6lowpan }')).toMatchObject({ mac: { on: false }, latency_ms: 0.32, jitter_ms: 2.24 });
    expect(linkOf('{ profile: ieee802154-6lowpan, mac: { acks: true } }')).toMatchObject({ mac: { on: true }, latency_ms: 0, jitter_ms: 0 });
    // An explicit latency still wins.
    expect(linkOf('{ profile: ieee802154-6lowpan, mac: { acks: true, max_frame_retries: 5 }, latency_ms: 2 }')).toMatchObject({
      mac: { on: true, max_frame_retries: 5 },
      latency_ms: 2,
    });
  });

  it('BLE and Wi-Fi acknowledge by default; BLE takes a connection interval and Data Length Extension', () => {
    expect(linkOf('{ profile: ble-1m }')).toMatchObject({ mac: { on: true }, connection_interval_ms: null, framing: {} });
    expect(linkOf('{ profile: ble-2m, connection_interval_ms: 7.5, data_length_extension: false }')).toMatchObject({
      connection_interval_ms: 7.5,
      framing: { data_length_extension: false },
    });
    expect(linkOf('{ profile: wifi }').mac.on).toBe(true);
  });

  it('cellular links take a coverage class, whose latency becomes the default', () => {
    expect(linkOf('{ profile: nbiot }')).toMatchObject({ framing: { coverage: 'good' }, latency_ms: 1600 });
    expect(linkOf('{ profile: nbiot, coverage: bad }')).toMatchObject({ framing: { coverage: 'bad' }, latency_ms: 10000 });
    expect(linkOf('{ profile: ltem, coverage: deep, latency_ms: 50 }')).toMatchObject({ framing: { coverage: 'deep' }, latency_ms: 50 });
  });

  it('refuses options the link does not have, naming the field, the value and why', () => {
    expect(errorOf('{ profile: udp, mac: { acks: true } }')).toContain('link.mac: got {"acks":true}, but link udp has no link-layer acknowledgements to switch');
    expect(errorOf('{ profile: ble-1m, mac: { acks: true, cca_busy: 0.2 } }')).toContain('link.mac.cca_busy: got 0.2, but link ble-1m does not use CSMA-CA');
    expect(errorOf('{ profile: ble-1m, mac: { acks: true, max_frame_retries: 2 } }')).toContain('link.mac.max_frame_retries: got 2, but BLE retries until the supervision timeout');
    expect(errorOf('{ profile: ieee802154-6lowpan, connection_interval_ms: 30 }')).toContain('link.connection_interval_ms: got 30, but link ieee802154-6lowpan has no connection events');
    expect(errorOf('{ profile: ble-1m, connection_interval_ms: 31 }')).toContain('link.connection_interval_ms: got 31, but expected a multiple of 1.25 ms');
    expect(errorOf('{ profile: ble-1m, connection_interval_ms: 5 }')).toContain('link.connection_interval_ms: got 5, expected >= 7.5');
    expect(errorOf('{ profile: wifi, data_length_extension: true }')).toContain('link.data_length_extension: got true, but link wifi is not BLE');
    expect(errorOf('{ profile: lora-sf7, coverage: good }')).toContain('link.coverage: got "good", but link lora-sf7 has no coverage classes');
    expect(errorOf('{ profile: nbiot, coverage: worst }')).toContain('link.coverage: got "worst", expected one of "good", "bad" (link nbiot)');
    expect(errorOf('{ profile: nbiot, bitrate_bps: 1000 }')).toContain('link.bitrate_bps: got 1000, but link nbiot (framing cellular) takes its airtime from its coverage class');
    expect(errorOf('{ profile: ieee802154-6lowpan, mac: { acks: true, max_frame_retries: 8 } }')).toContain('link.mac.max_frame_retries: got 8, expected <= 7');
  });
});
