import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { InputError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';
import { scenarioErrorOf } from '../helpers/scenario_error.js';

const errorOf = scenarioErrorOf;

describe('scenario validation', () => {
  it('accepts the minimal scenario and fills documented defaults', () => {
    const s = loadScenario(tempScenario(MINIMAL_SCENARIO));
    expect(s.variants.map((v) => v.name)).toEqual(['baseline']);
    const v = s.variants[0]!;
    expect(v.config).toMatchObject({ protocol: 'dtls1.2', auth: 'psk', cipher_suite: 'TLS_PSK_WITH_AES_128_CCM_8', cookie: true });
    const bernoulli = { model: 'bernoulli', frame_loss: 0.1 };
    expect(v.link).toMatchObject({ loss: { client_to_server: bernoulli, server_to_client: bernoulli }, latency_ms: 0.32, jitter_ms: 2.24, bitrate_bps: 250000, mtu_bytes: 1232 });
    // RFC 6347 timers from the mbedTLS profile; no deadline: mbedTLS abandons a flight itself.
    expect(v.client.timers).toEqual({ initial_ms: 1000, max_ms: 60000, give_up_ms: null, gives_up_at_capped_expiry: true });
  });

  it('rejects an unknown top-level key with a suggestion', () => {
    const msg = errorOf(MINIMAL_SCENARIO + 'trails: 5\n');
    expect(msg).toContain('trails: unknown key "trails"; did you mean "trials"?');
  });

  it('rejects an unknown nested key with its path and a suggestion', () => {
    const msg = errorOf(MINIMAL_SCENARIO.replace('loss: 0.1', 'los: 0.1'));
    expect(msg).toContain('link.los: unknown key "los"; did you mean "loss"?');
  });

  it('names the field, the value and the expectation for a bad value', () => {
    expect(errorOf(MINIMAL_SCENARIO.replace('loss: 0.1', 'loss: 1.5'))).toContain('link.loss: got 1.5, expected <= 1');
    expect(errorOf(MINIMAL_SCENARIO.replace('trials: 200', 'trials: many'))).toContain('trials: got "many", expected number');
    expect(errorOf(MINIMAL_SCENARIO + 'cipher_suite: TLS_PSK_WITH_AES_128_CCM_9\n')).toMatch(
      /cipher_suite: got "TLS_PSK_WITH_AES_128_CCM_9", expected one of "TLS_PSK_WITH_AES_128_CCM_8", .*; did you mean "TLS_PSK_WITH_AES_128_CCM_8"\?/,
    );
  });

  it('rejects an MTU too small for the suite\'s largest record', () => {
    const cbc = MINIMAL_SCENARIO + 'cipher_suite: TLS_PSK_WITH_AES_128_CBC_SHA256\n';
    expect(errorOf(cbc.replace('loss: 0.1', 'loss: 0.1, mtu: 89'))).toContain(
      'link.mtu: got 89, expected at least 90 with TLS_PSK_WITH_AES_128_CBC_SHA256',
    );
    expect(loadScenario(tempScenario(cbc.replace('loss: 0.1', 'loss: 0.1, mtu: 90'))).variants[0]!.link.mtu_bytes).toBe(90);
    expect(loadScenario(tempScenario(MINIMAL_SCENARIO.replace('loss: 0.1', 'loss: 0.1, mtu: 64'))).variants[0]!.link.mtu_bytes).toBe(64);
  });

  it('reports a missing required field', () => {
    expect(errorOf(MINIMAL_SCENARIO.replace(/^server:.*\n/m, ''))).toContain('server: missing; expected object');
  });

  it('validates variants with their index and name', () => {
    const msg = errorOf(`${MINIMAL_SCENARIO}variants:\n  - name: a\n    cooky: false\n`);
    expect(msg).toContain('variants[0].cooky: unknown key "cooky"; did you mean "cookie"?');
    expect(errorOf(`${MINIMAL_SCENARIO}variants:\n  - name: a\n  - name: a\n`)).toContain('"a" is used twice');
    expect(errorOf(`${MINIMAL_SCENARIO}variants:\n  - name: b\n    link: { loss: -1 }\n`)).toContain('variants[0].link.loss: got -1, expected >= 0');
  });

  it('merges variant overrides over the base', () => {
    const s = loadScenario(tempScenario(`${MINIMAL_SCENARIO}variants:\n  - name: a\n  - name: b\n    cookie: false\n    link: { loss: 0.3 }\n`));
    expect(s.variants.map((v) => [v.name, v.config.cookie, v.link.loss.server_to_client, v.link.profile.id])).toEqual([
      ['a', true, { model: 'bernoulli', frame_loss: 0.1 }, 'ieee802154-6lowpan'],
      ['b', false, { model: 'bernoulli', frame_loss: 0.3 }, 'ieee802154-6lowpan'],
    ]);
  });

  it('suggests the closest profile id', () => {
    expect(errorOf(MINIMAL_SCENARIO.replace('device: cortex-m4-120, stack', 'device: cortex-m4-12, stack'))).toMatch(
      /client\.device: got "cortex-m4-12", expected a device profile id \([^)]*cortex-m4-120[^)]*\) .*did you mean "cortex-m4-120"\?/,
    );
  });

  it('loads a profile by path relative to the scenario and validates it', () => {
    const dir = dirname(tempScenario('unused: 1'));
    writeFileSync(join(dir, 'my-link.yaml'), 'id: my-link\nkind: link\nname: x\nframing: none\n');
    writeFileSync(join(dir, 's.yaml'), MINIMAL_SCENARIO.replace('profile: ieee802154-6lowpan', 'profile: ./my-link.yaml'));
    const msg = messageOf(() => loadScenario(join(dir, 's.yaml')));
    expect(msg).toContain(`link profile ${join(dir, 'my-link.yaml')} is invalid`);
    expect(msg).toContain('bitrate_bps: missing; expected object');
  });

  it('rejects a profile figure without a source or derivation', () => {
    const dir = dirname(tempScenario('unused: 1'));
    const link = parseYaml(readFileSync('profiles/links/udp.yaml', 'utf8')) as Record<string, Record<string, unknown>>;
    link.id = 'my-udp' as never;
    delete link.bitrate_bps!.source;
    writeFileSync(join(dir, 'my-udp.yaml'), stringifyYaml(link));
    writeFileSync(join(dir, 's.yaml'), MINIMAL_SCENARIO.replace('profile: ieee802154-6lowpan', 'profile: my-udp.yaml'));
    const msg = messageOf(() => loadScenario(join(dir, 's.yaml')));
    expect(msg).toContain('bitrate_bps: got {"value":100000000');
    expect(msg).toContain('every figure needs a `source`');
  });
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('max_fragment_length in a scenario', () => {
  it('is offered by the client and accepted: the hellos grow by the 5-byte extension', async () => {
    const { transcriptFor } = await import('../../src/pipeline/run_scenario.js');
    const base = loadScenario(tempScenario(MINIMAL_SCENARIO));
    const mfl = loadScenario(tempScenario(MINIMAL_SCENARIO + 'max_fragment_length: 1024\n'));
    const a = transcriptFor(base.variants[0]!, 1).flights;
    const b = transcriptFor(mfl.variants[0]!, 1).flights;
    expect(b[0]!.bytes - a[0]!.bytes).toBe(5); // ClientHello
    expect(b[3]!.bytes - a[3]!.bytes).toBe(5); // ServerHello echoes it
  });

  it('accepts only 512, 1024, 2048 or 4096', () => {
    expect(() => loadScenario(tempScenario(MINIMAL_SCENARIO + 'max_fragment_length: 1000\n'))).toThrow(/max_fragment_length: got 1000/);
  });
});

describe('encrypt_then_mac in a scenario', () => {
  const CBC = MINIMAL_SCENARIO + 'cipher_suite: TLS_PSK_WITH_AES_128_CBC_SHA256\n';

  it('defaults to the stack (mbedTLS 2.28: on); false drops the extension from both hellos', async () => {
    const { transcriptFor } = await import('../../src/pipeline/run_scenario.js');
    const byDefault = loadScenario(tempScenario(CBC)).variants[0]!;
    expect(byDefault.config.encrypt_then_mac).toBeUndefined();
    expect(byDefault.client.stack.wire.encrypt_then_mac.enabled).toBe(true);
    const off = loadScenario(tempScenario(CBC + 'encrypt_then_mac: false\n')).variants[0]!;
    const a = transcriptFor(byDefault, 1).flights;
    const b = transcriptFor(off, 1).flights;
    expect(a[0]!.bytes - b[0]!.bytes).toBe(4); // ClientHello: type 2 + length 2, no data
    expect(a[3]!.bytes - b[3]!.bytes).toBe(4); // the ServerHello echoes it
  });

  it('with an AEAD suite adds only the empty extension Mbed TLS sends in every ClientHello, and must be a boolean', async () => {
    const { transcriptFor } = await import('../../src/pipeline/run_scenario.js');
    const on = transcriptFor(loadScenario(tempScenario(MINIMAL_SCENARIO + 'encrypt_then_mac: true\n')).variants[0]!, 1);
    const off = transcriptFor(loadScenario(tempScenario(MINIMAL_SCENARIO + 'encrypt_then_mac: false\n')).variants[0]!, 1);
    // The mbedtls wire preset: encrypt_then_mac (4 bytes, empty) in both ClientHellos, never echoed for CCM_8.
    expect(on.flights.map((f, i) => f.bytes - off.flights[i]!.bytes)).toEqual([4, 0, 4, 0, 0, 0, 0, 0]);
    expect(() => loadScenario(tempScenario(CBC + 'encrypt_then_mac: sometimes\n'))).toThrow(/encrypt_then_mac: got "sometimes", expected boolean/);
  });
});
