import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function fake(isTTY: boolean) {
  let t = 0;
  const out: string[] = [];
  const progress = new Progress({ isTTY, write: (s: string) => out.push(s) }, () => t);
  return { progress, out, advance: (ms: number) => (t += ms) };
}

describe('progress indicator', () => {
  it('stays silent for the first second, then redraws one line at most every 100 ms and clears it', () => {
    const { progress, out, advance } = fake(true);
    progress.update('cookie', 1000, 10000);
    expect(out).toEqual([]);
    advance(1000);
    progress.update('cookie', 2000, 10000);
    advance(50);
    progress.update('cookie', 3000, 10000); // too soon
    advance(50);
    progress.update('cookie', 4000, 10000);
    progress.finish();
    expect(out).toEqual(['\r\x1b[Kcookie: 2000/10000 trials (20%)', '\r\x1b[Kcookie: 4000/10000 trials (40%)', '\r\x1b[K']);
  });

  it('prints nothing when stderr is not a terminal', () => {
    const { progress, out, advance } = fake(false);
    advance(5000);
    progress.update('cookie', 9000, 10000);
    progress.finish();
    expect(out).toEqual([]);
  });

  it('a short run prints nothing, not even the clearing sequence', () => {
    const { progress, out } = fake(true);
    progress.update('cookie', 1000, 2000);
    progress.finish();
    expect(out).toEqual([]);
  });
});
