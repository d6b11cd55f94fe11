/**
 * Business time. Invoices happen on a warped time axis `t` in [0, W]: each calendar day owns a
 * slice of `t` as wide as its weight (0 on Saturdays and Dec 24 – Jan 3, more in the autumn
 * peak, less on Sundays), and inside a day `t` maps to a clock time between 07:30 and 18:29
 * peaking around lunch. The map is monotone, so invoices drawn in `t` order come out in date
 * order. All arithmetic is UTC: the output never depends on the machine's time zone.
 */
import { parseDay } from './options';

const DAY_MS = 86400000;
/** Relative activity per month (Jan..Dec), shaped like the UCI file's autumn peak. */
const MONTH_WEIGHT = [0.8, 0.75, 0.95, 0.8, 1.0, 0.95, 0.95, 0.95, 1.35, 1.5, 1.8, 1.2];
/** Relative activity per weekday (Sun..Sat); the UCI retailer never invoiced on Saturdays. */
const WEEKDAY_WEIGHT = [0.6, 1, 1, 1, 1.05, 0.85, 0];
const OPEN_MINUTE = 7 * 60 + 30;
const OPEN_MINUTES = 11 * 60;

export interface Calendar {
  /** Number of calendar days, first and last included. */
  days: number;
  /** Total width W of the time axis. */
  width: number;
  /** Position on the time axis of a fractional calendar day in [0, days]. */
  tAt(day: number): number;
  /** Fractional calendar day of a time-axis position (inverse of tAt on days with weight). */
  dayOf(t: number): number;
  /** `YYYY-MM-DD HH:MM:00` of a time-axis position. */
  format(t: number): string;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** Builds the time axis for [start, end] (both `YYYY-MM-DD`, end inclusive). */
export function makeCalendar(start: string, end: string): Calendar {
  const t0 = parseDay(start, 'start');
  const days = Math.round((parseDay(end, 'end') - t0) / DAY_MS) + 1;
  const weight = new Float64Array(days);
  const prefix: string[] = new Array(days);
  for (let d = 0; d < days; d++) {
    const date = new Date(t0 + d * DAY_MS);
    const month = date.getUTCMonth();
    const dom = date.getUTCDate();
    const holiday = (month === 11 && dom >= 24) || (month === 0 && dom <= 3);
    weight[d] = holiday ? 0 : MONTH_WEIGHT[month] * WEEKDAY_WEIGHT[date.getUTCDay()];
    prefix[d] = date.toISOString().slice(0, 10) + ' ';
  }
  if (weight.every((w) => w === 0)) weight.fill(1); // a range of only Saturdays/holidays: keep it usable
  const cum = new Float64Array(days + 1);
  for (let d = 0; d < days; d++) cum[d + 1] = cum[d] + weight[d];
  const width = cum[days];

  /** Largest day d with cum[d] <= t and weight > 0, plus the fraction of that day. */
  const locate = (t: number): [number, number] => {
    let lo = 0;
    let hi = days - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cum[mid] <= t) lo = mid;
      else hi = mid - 1;
    }
    while (weight[lo] === 0 && lo > 0) lo--;
    const frac = Math.min(1, Math.max(0, (t - cum[lo]) / weight[lo]));
    return [lo, frac];
  };

  let lastKey = -1;
  let lastText = '';
  return {
    days,
    width,
    tAt(day: number): number {
      const x = Math.min(days, Math.max(0, day));
      const d = Math.min(days - 1, Math.floor(x));
      return cum[d] + (x - d) * weight[d];
    },
    dayOf(t: number): number {
      const [d, frac] = locate(t);
      return d + frac;
    },
    format(t: number): string {
      const [d, frac] = locate(t);
      // Monotone S-curve: clock time is denser around the middle of the day (lunch peak).
      const s = frac + (0.4 * Math.sin(2 * Math.PI * frac)) / (2 * Math.PI);
      const minute = OPEN_MINUTE + Math.min(OPEN_MINUTES - 1, Math.floor(s * OPEN_MINUTES));
      const key = d * 1440 + minute;
      if (key !== lastKey) {
        lastKey = key;
        lastText = prefix[d] + pad2(Math.floor(minute / 60)) + ':' + pad2(minute % 60) + ':00';
      }
      return lastText;
    },
  };
}
