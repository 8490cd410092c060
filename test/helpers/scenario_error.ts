import { expect } from 'vitest';
import { InputError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { tempScenario } from './cli.js';

/** The InputError message a scenario (YAML text) is rejected with; fails the test if it loads. */
export function scenarioErrorOf(yaml: string): string {
  try {
    loadScenario(tempScenario(yaml));
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected the scenario to be rejected');
}
