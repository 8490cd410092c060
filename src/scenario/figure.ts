import { z } from 'zod';

/**
 * A number in a profile. Every figure says where it comes from: a `source` (document, board,
 * library version) or a `derived` formula built from sourced figures. Where published sources
 * disagree, `range` keeps both ends and `value` is the one the model uses (the note says why).
 * A figure measured on another part or build, used because the profiled part's own figure is
 * not published, says so in `stand_in` (what it was measured on), so that reports can warn.
 */
export const figureSchema = z
  .object({
    value: z.number().finite(),
    range: z.tuple([z.number().finite(), z.number().finite()]).optional(),
    source: z.string().min(1).optional(),
    derived: z.string().min(1).optional(),
    note: z.string().optional(),
    stand_in: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.source === undefined && f.derived === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'every figure needs a `source` (document, board, library version) or a `derived` formula',
      });
    }
    if (f.range !== undefined) {
      const [lo, hi] = f.range;
      if (lo > hi) ctx.addIssue({ code: 'custom', path: ['range'], message: `range [${lo}, ${hi}] is reversed` });
      else if (f.value < lo || f.value > hi)
        ctx.addIssue({ code: 'custom', path: ['value'], message: `value ${f.value} lies outside its range [${lo}, ${hi}]` });
    }
  });

export type Figure = z.infer<typeof figureSchema>;

/** A figure that must be zero or more (times, currents, sizes). */
export const nonNegativeFigure = figureSchema.refine((f) => f.value >= 0, { message: 'must be zero or more', path: ['value'] });

/** A figure that must be more than zero (clocks, voltages, timeouts, bitrates). */
export const positiveFigure = figureSchema.refine((f) => f.value > 0, { message: 'must be more than zero', path: ['value'] });

/** A whole number of bytes within protocol limits. */
export const wholeFigure = (min: number, max: number) =>
  figureSchema.refine((f) => Number.isInteger(f.value) && f.value >= min && f.value <= max, {
    message: `must be a whole number from ${min} to ${max}`,
    path: ['value'],
  });

/** A figure found in a profile, with its dotted path (`current_mA.active`). */
export interface FigureAt {
  path: string;
  figure: Figure;
}

/** Every figure in a parsed profile (any object with a numeric `value`), in file order. */
export function figuresIn(x: unknown, path = ''): FigureAt[] {
  if (x === null || typeof x !== 'object') return [];
  const o = x as Record<string, unknown>;
  if (typeof o.value === 'number') return [{ path, figure: o as Figure }];
  return Object.entries(o).flatMap(([k, v]) => figuresIn(v, path ? `${path}.${k}` : k));
}

/** The paths of a profile's stand-in figures, sorted so that warnings are deterministic. */
export function standInPaths(profile: unknown): string[] {
  return figuresIn(profile)
    .filter((f) => f.figure.stand_in !== undefined)
    .map((f) => f.path)
    .sort();
}
