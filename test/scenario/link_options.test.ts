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
