/**
 * Error bars for chart.js bar charts, without another chart dependency: a
 * bar dataset with `errorBars` (one `{ lower, upper }` per bar) gets a
 * whisker with caps over each bar, and its value axis reaches the highest
 * upper limit. Registered once with the dashboard's chart.js; charts without
 * `errorBars` are untouched.
 */
import type { Chart as ChartInstance, Plugin, Scale } from 'chart.js';
import { Chart } from '../../components/charts/chart-setup';
import type { ErrorBar } from './analytics-format';

declare module 'chart.js' {
  interface BarControllerDatasetOptions {
    /** The 95% interval of each bar, drawn as a whisker. */
    errorBars?: readonly ErrorBar[];
  }
}

const CAP = 5;

function barsOf(chart: ChartInstance, datasetIndex: number): readonly ErrorBar[] | undefined {
  return (chart.data.datasets[datasetIndex] as { errorBars?: readonly ErrorBar[] } | undefined)?.errorBars;
}

function valueScaleOf(chart: ChartInstance, datasetIndex: number): Scale | undefined {
  const meta = chart.getDatasetMeta(datasetIndex);
  return chart.options.indexAxis === 'y' ? chart.scales[meta.xAxisID ?? 'x'] : chart.scales[meta.yAxisID ?? 'y'];
}

export const errorBarsPlugin: Plugin = {
  id: 'errorBars',
  afterDataLimits(chart, { scale }) {
    chart.data.datasets.forEach((_dataset, index) => {
      if (valueScaleOf(chart, index)?.id !== scale.id) return;
      for (const bar of barsOf(chart, index) ?? []) {
        if (bar.upper !== null && Number.isFinite(bar.upper) && bar.upper > scale.max) scale.max = bar.upper;
      }
    });
  },
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    chart.data.datasets.forEach((_dataset, index) => {
      const bars = barsOf(chart, index);
      const meta = chart.getDatasetMeta(index);
      const valueScale = valueScaleOf(chart, index);
      const indexScale = horizontal ? chart.scales[meta.yAxisID ?? 'y'] : chart.scales[meta.xAxisID ?? 'x'];
      if (!bars || meta.hidden || !valueScale || !indexScale) return;
      ctx.save();
      ctx.strokeStyle = '#1d2733';
      ctx.lineWidth = 1.5;
      meta.data.forEach((element, barIndex) => {
        const bar = bars[barIndex];
        if (!bar || bar.upper === null || !Number.isFinite(bar.upper)) return;
        const props = element.getProps(['x', 'y'], true) as { x: number; y: number };
        const across = horizontal ? props.y : props.x;
        const at = Number.isFinite(across) ? across : indexScale.getPixelForValue(barIndex);
        const low = valueScale.getPixelForValue(bar.lower ?? 0);
        const high = valueScale.getPixelForValue(bar.upper);
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(low, at);
          ctx.lineTo(high, at);
          for (const end of [low, high]) {
            ctx.moveTo(end, at - CAP);
            ctx.lineTo(end, at + CAP);
          }
        } else {
          ctx.moveTo(at, low);
          ctx.lineTo(at, high);
          for (const end of [low, high]) {
            ctx.moveTo(at - CAP, end);
            ctx.lineTo(at + CAP, end);
          }
        }
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};

Chart.register(errorBarsPlugin);
