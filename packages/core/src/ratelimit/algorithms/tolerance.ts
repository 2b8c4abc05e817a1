/**
 * The share of the limit that float sums may overshoot by and still be admitted: ten costs of 0.1
 * add up to 0.9999999999999999, and a limit of 1 must admit all ten and then exactly nothing more.
 * 1e-9 of the limit is far above float error for any sane limit and far below one unit.
 */
export const toleranceRatio = 1e-9
