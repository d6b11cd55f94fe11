/** Exploration (templates/partials/exploration.hbs): revenue over time, spend and orders per customer, top countries and products. */
import type { ChartSpec } from '../../charts/render';
import type { ReportContext } from '../context';
import { full, half } from '../fit';
import type { SectionInput } from './common';

export async function explorationSection({ a, chart }: SectionInput): Promise<ReportContext['exploration']> {
  const eda = a.exploration.charts;
  return {
    charts: [
      ...(await chart('eda-monthly', eda.monthly_revenue as ChartSpec, full(270), 'Revenue (bars, left axis) and active customers (line, right axis) per month, cleaned lines.')),
      ...(await chart('eda-customer-revenue', eda.customer_revenue, half(250), 'Spend per customer over the whole period (log scale).')),
      ...(await chart('eda-customer-orders', eda.customer_orders, half(250), 'Orders per customer (log scale).')),
      ...(await chart('eda-countries', eda.top_countries, half(), 'Countries by revenue; labels: share of all revenue.')),
      ...(await chart('eda-products', eda.top_products, half(), 'Products by revenue; labels: share of all revenue.')),
    ],
  };
}
