/** The lifetime-value options several entry points take, each checked in one place (same words everywhere). */
import { finiteNumber, wholeNumber } from '../options';

/**
 * Months of future value.
 * @throws SegkitError `clv/bad_option`: "horizon must be a whole number ≥ 1, got 0".
 */
export const checkHorizon = (horizon: unknown): number => wholeNumber(horizon, { stage: 'clv', name: 'horizon', min: 1, hint: 'a whole number of months, e.g. 12' });

/**
 * The monthly discount rate.
 * @throws SegkitError `clv/bad_option`: "discount must be a finite number ≥ 0 and < 1, got -1".
 */
export const checkDiscount = (discount: unknown): number => finiteNumber(discount, { stage: 'clv', name: 'discount', min: 0, below: 1, hint: 'a monthly rate, e.g. 0.01 for 1 % a month' });

/**
 * The L2 penalty on the model parameters (lifetimes' penalizer_coef).
 * @throws SegkitError `clv/bad_option`: "penalty must be a finite number ≥ 0, got -1".
 */
export const checkPenalty = (penalty: unknown): number => finiteNumber(penalty, { stage: 'clv', name: 'penalty', min: 0, hint: 'a small number ≥ 0 such as 0.001; 0 for none' });
