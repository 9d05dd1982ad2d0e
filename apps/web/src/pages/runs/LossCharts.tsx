import ZoomOutMap from '@mui/icons-material/ZoomOutMap';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Slider from '@mui/material/Slider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ResponsiveContainer,
  Tooltip as ChartTooltip,
  XAxis,
  YAxis,
  type MouseHandlerDataParam,
} from 'recharts';

import { useRunsStore } from '../../stores/runsStore.js';
import { buildChartSeries } from './chartData.js';
import { formatLoss, formatLr } from './format.js';
import { Term } from './RunBits.js';

/** Points drawn per series: enough for a sharp line on a 2,000 px wide chart, cheap for SVG. */
const maxDrawnPoints = 1500;

type Range = readonly [number, number];

function labelStep(state: MouseHandlerDataParam): number | null {
  const value = Number(state.activeLabel);
  return Number.isFinite(value) ? value : null;
}

/** Drag across the chart to choose a step range; shared by the loss and LR charts. */
function useDragZoom(onZoom: (range: Range) => void) {
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  return {
    drag,
    handlers: {
      onMouseDown: (state: MouseHandlerDataParam) => {
        const step = labelStep(state);
        if (step !== null) setDrag({ from: step, to: step });
      },
      onMouseMove: (state: MouseHandlerDataParam) => {
        const step = labelStep(state);
        if (drag && step !== null) setDrag({ ...drag, to: step });
      },
      onMouseUp: () => {
        if (drag && drag.from !== drag.to)
          onZoom([Math.min(drag.from, drag.to), Math.max(drag.from, drag.to)]);
        setDrag(null);
      },
      onMouseLeave: () => {
        setDrag(null);
      },
    },
  };
}

/** For a lone point (recharts' 'auto' would centre it on 0): a band around it, never below 0. */
const lossDomain: [(min: number) => number, (max: number) => number] = [
  (min) => Math.max(0, min - Math.max(Math.abs(min) * 0.1, 1e-4)),
  (max) => max + Math.max(Math.abs(max) * 0.1, 1e-4),
];

const lrColors = ['#0ea5e9', '#a855f7', '#f59e0b', '#10b981', '#ef4444', '#64748b'];

function ChartTitle({ children }: { children: React.ReactNode }) {
  return (
    <Typography variant="subtitle2" sx={{ mb: 0.5, color: 'text.secondary' }}>
      {children}
    </Typography>
  );
}

export function LossCharts() {
  const { t } = useTranslation('runs');
  const theme = useTheme();
  // Drawing may lag a frame behind a fast stream; typing in the slider stays responsive.
  const points = useDeferredValue(useRunsStore((state) => state.points));
  const epochs = useRunsStore((state) => state.epochs);
  const [smoothing, setSmoothing] = useState(0.6);
  const deferredSmoothing = useDeferredValue(smoothing);
  const [range, setRange] = useState<Range | null>(null);
  const series = useMemo(
    () => buildChartSeries(points, { smoothing: deferredSmoothing, maxPoints: maxDrawnPoints, range }),
    [points, deferredSmoothing, range],
  );
  const zoom = useDragZoom(setRange);
  const grid = theme.palette.divider;
  const axis = { stroke: theme.palette.text.secondary, fontSize: 12 };
  const tooltipStyle = {
    contentStyle: {
      background: theme.palette.background.paper,
      border: `1px solid ${theme.palette.divider}`,
      borderRadius: 8,
      fontSize: 12,
    },
    labelFormatter: (step: unknown) => `${t('charts.step')} ${String(step)}`,
  };
  const xDomain = range ? [range[0], range[1]] : ['dataMin', 'dataMax'];

  return (
    <Card sx={{ p: 2.5 }} data-testid="run-charts">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap', rowGap: 1 }}>
        <Typography variant="h5" component="h2" sx={{ flex: 1, minWidth: 160 }}>
          {t('charts.title')}
        </Typography>
        <Typography variant="caption" sx={{ color: 'text.secondary' }} data-testid="chart-points">
          {t('charts.points', { visible: series.visible, total: points.length })}
        </Typography>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', width: 240 }}>
          <Typography variant="body2" sx={{ flex: 'none' }}>
            <Term term="smoothed">{t('charts.smoothing')}</Term>
          </Typography>
          <Slider
            size="small"
            min={0}
            max={0.99}
            step={0.01}
            value={smoothing}
            valueLabelDisplay="auto"
            onChange={(_, value) => {
              setSmoothing(value);
            }}
            slotProps={{
              input: { 'aria-label': t('charts.smoothing'), 'data-testid': 'chart-smoothing' } as object,
            }}
          />
        </Stack>
        <Button
          size="small"
          startIcon={<ZoomOutMap fontSize="small" />}
          disabled={range === null}
          data-testid="chart-reset-zoom"
          onClick={() => {
            setRange(null);
          }}
        >
          {t('charts.resetZoom')}
        </Button>
      </Stack>
      {points.length === 0 ? (
        <Box sx={{ height: 160, display: 'grid', placeItems: 'center', color: 'text.secondary' }}>
          <Typography variant="body2">{t('charts.noData')}</Typography>
        </Box>
      ) : (
        <Box
          sx={{
            display: 'grid',
            gap: 2,
            gridTemplateColumns: { xs: 'minmax(0, 1fr)', xl: 'minmax(0, 2fr) minmax(0, 1fr)' },
            userSelect: 'none',
          }}
        >
          <Box sx={{ minWidth: 0 }}>
            <ChartTitle>
              <Term term="loss">{t('charts.loss')}</Term> ·{' '}
              <Term term="smoothed">{t('charts.smoothed')}</Term> ·{' '}
              <Term term="average">{t('charts.average')}</Term>
            </ChartTitle>
            <Box sx={{ height: 260 }} data-testid="chart-loss" title={t('charts.zoomHint')}>
              <ResponsiveContainer width="100%" height="100%">
                <LineChart
                  data={series.rows}
                  margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
                  {...zoom.handlers}
                >
                  <CartesianGrid stroke={grid} strokeDasharray="3 3" />
                  <XAxis
                    dataKey="step"
                    type="number"
                    domain={xDomain}
                    allowDataOverflow
                    tick={axis}
                    stroke={grid}
                  />
                  <YAxis
                    tick={axis}
                    stroke={grid}
                    width={56}
                    domain={series.rows.length > 1 ? ['auto', 'auto'] : lossDomain}
                    tickFormatter={(v: number) => formatLoss(v) ?? ''}
                  />
                  <ChartTooltip {...tooltipStyle} formatter={(v: unknown) => formatLoss(Number(v)) ?? '—'} />
                  <Line
                    name={t('charts.loss')}
                    dataKey="loss"
                    stroke={theme.palette.primary.main}
                    strokeOpacity={0.3}
                    dot={false}
                    isAnimationActive={false}
                    strokeWidth={1}
                  />
                  <Line
                    name={t('charts.smoothed')}
                    dataKey="smoothed"
                    stroke={theme.palette.primary.main}
                    dot={false}
                    isAnimationActive={false}
                    strokeWidth={2}
                    connectNulls
                  />
                  <Line
                    name={t('charts.average')}
                    dataKey="average"
                    stroke={theme.palette.secondary.main}
                    strokeDasharray="4 3"
                    dot={false}
                    isAnimationActive={false}
                    strokeWidth={1.5}
                    connectNulls
                  />
                  {zoom.drag && (
                    <ReferenceArea
                      x1={zoom.drag.from}
                      x2={zoom.drag.to}
                      fill={theme.palette.primary.main}
                      fillOpacity={0.12}
                    />
                  )}
                </LineChart>
              </ResponsiveContainer>
            </Box>
          </Box>
          <Stack spacing={2} sx={{ minWidth: 0 }}>
            <Box>
              <ChartTitle>
                <Term term="epochAverage">{t('charts.epochAverage')}</Term>
              </ChartTitle>
              <Box sx={{ height: 110 }} data-testid="chart-epochs">
                {epochs.length === 0 ? (
                  <Box
                    sx={{ height: '100%', display: 'grid', placeItems: 'center', color: 'text.secondary' }}
                  >
                    <Typography variant="caption">{t('charts.noEpochs')}</Typography>
                  </Box>
                ) : (
                  <ResponsiveContainer width="100%" height="100%">
                    <LineChart data={epochs} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
                      <CartesianGrid stroke={grid} strokeDasharray="3 3" />
                      <XAxis
                        dataKey="epoch"
                        type="number"
                        domain={['dataMin', 'dataMax']}
                        allowDecimals={false}
                        tick={axis}
                        stroke={grid}
                      />
                      <YAxis
                        tick={axis}
                        stroke={grid}
                        width={56}
                        // A loss is never negative: recharts' 'auto' centres a lone first epoch on 0.
                        domain={epochs.length > 1 ? ['auto', 'auto'] : lossDomain}
                        tickFormatter={(v: number) => formatLoss(v) ?? ''}
                      />
                      <ChartTooltip
                        {...tooltipStyle}
                        labelFormatter={(epoch: unknown) => `${t('charts.epoch')} ${String(epoch)}`}
                        formatter={(v: unknown) => formatLoss(Number(v)) ?? '—'}
                      />
                      <Line
                        name={t('charts.epochAverage')}
                        dataKey="averageLoss"
                        stroke={theme.palette.success.main}
                        isAnimationActive={false}
                        strokeWidth={2}
                        dot={{ r: 3 }}
                      />
                    </LineChart>
                  </ResponsiveContainer>
                )}
              </Box>
            </Box>
            <Box>
              <ChartTitle>
                <Term term="lr">{t('charts.lr')}</Term>
                {series.lrGroups.length > 0 && ` · ${series.lrGroups.join(', ')}`}
              </ChartTitle>
              <Box sx={{ height: 110 }} data-testid="chart-lr">
                <ResponsiveContainer width="100%" height="100%">
                  <LineChart
                    data={series.rows}
                    margin={{ top: 8, right: 12, bottom: 0, left: 0 }}
                    {...zoom.handlers}
                  >
                    <CartesianGrid stroke={grid} strokeDasharray="3 3" />
                    <XAxis
                      dataKey="step"
                      type="number"
                      domain={xDomain}
                      allowDataOverflow
                      tick={axis}
                      stroke={grid}
                    />
                    <YAxis tick={axis} stroke={grid} width={56} tickFormatter={(v: number) => formatLr(v)} />
                    <ChartTooltip {...tooltipStyle} formatter={(v: unknown) => formatLr(Number(v))} />
                    {series.lrGroups.map((group, i) => (
                      <Line
                        key={group}
                        name={group}
                        dataKey={`lr:${group}`}
                        stroke={lrColors[i % lrColors.length]}
                        dot={false}
                        isAnimationActive={false}
                        strokeWidth={1.5}
                        connectNulls
                      />
                    ))}
                    {zoom.drag && (
                      <ReferenceArea
                        x1={zoom.drag.from}
                        x2={zoom.drag.to}
                        fill={theme.palette.primary.main}
                        fillOpacity={0.12}
                      />
                    )}
                  </LineChart>
                </ResponsiveContainer>
              </Box>
            </Box>
          </Stack>
        </Box>
      )}
    </Card>
  );
}
