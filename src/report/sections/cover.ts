/** The cover (templates/partials/cover.hbs): title, data set, analysis date, when and by which segkit. */
import { VERSION } from '../../version';
import type { ReportContext } from '../context';
import { REPORT_DEFAULTS, type SectionInput } from './common';

export function coverSection({ a, options, currency, dataset }: SectionInput): ReportContext['meta'] {
  return {
    title: options.title ?? REPORT_DEFAULTS.title,
    subtitle: options.subtitle,
    author: options.author,
    dataset,
    asOf: a.rfm.asOf,
    generatedAt: options.generatedAt ?? new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    segkitVersion: VERSION,
    currency,
  };
}
