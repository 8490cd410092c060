import { z } from 'zod';

/**
 * A number in a profile. Every figure says where it comes from: a `source` (document, board,
 * library version) or a `derived` formula built from sourced figures. Where published sources
 * disagree, `range` keeps both ends and `value` is the one the model uses (the note says why).
 */
export const figureSchema = z
  .object({
    value: z.number().finite(),
    range: z.tuple([z.number().finite(), z.number().finite()]).optional(),
    source: z.string().min(1).optional(),
    derived: z.string().min(1).optional(),
    note: z.string().optional(),
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
