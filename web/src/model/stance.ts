/**
 * The stance scale as the matrix draws it: a diverging, colour-blind-safe palette (ColorBrewer
 * PuOr, 5 classes: orange for rejection, purple for commitment, near-white for undecided), always
 * with the number written in the cell, so no reading depends on colour alone.
 */
export const STANCE_STEPS = [-2, -1, 0, 1, 2] as const;

/** `+2`, `-1`, `0`, `+1.5` (a bloc's median may fall on a half point). */
export const formatStance = (stance: number | null): string => {
  if (stance === null) return '–';
  const text = Number.isInteger(stance) ? String(Math.abs(stance)) : Math.abs(stance).toFixed(1);
  return stance > 0 ? `+${text}` : stance < 0 ? `-${text}` : '0';
};

/** The colour class of a stance; a half point takes the colour of the step further from 0. */
export const stanceClass = (stance: number | null): string => {
  if (stance === null) return 'stance-none';
  const step = Math.max(-2, Math.min(2, stance < 0 ? Math.floor(stance) : Math.ceil(stance)));
  return step < 0 ? `stance-m${-step}` : step > 0 ? `stance-p${step}` : 'stance-0';
};
