// What the model pages share: the API paths of /api/v1/models (docs/ml.md), the metrics each task reports and how they
// are written, the role badges, and the ECharts options of the calibration, importance and histogram charts.
import { api } from '../../api.js';
import { literal } from '../people/peopleSql.js';

export const base = '/api/v1/models';
export const pathOf = (version) => `${base}/${encodeURIComponent(version)}`;
export const TASKS = [['churn', 'Churn'], ['ltv', 'Lifetime value (LTV)']];
/** The score each task writes into a person's state (actor-engine ScoreNames). */
export const SCORE_OF = { churn: 'churn_risk', ltv: 'ltv_predicted' };

/** The key metrics of the list, per task: [metric name in evaluation.metrics, column label]. */
export const KEY_METRICS = {
  churn: [['roc_auc', 'ROC AUC'], ['pr_auc', 'PR AUC'], ['log_loss', 'Log loss']],
  ltv: [['rmse', 'RMSE'], ['mae', 'MAE'], ['r2', 'R²'], ['rmse_mean_baseline', 'RMSE, mean baseline'],
    ['rmse_last_period_baseline', 'RMSE, last-period baseline']],
};
export const METRIC_LABELS = {
  roc_auc: 'ROC AUC', pr_auc: 'PR AUC', log_loss: 'Log loss', positive_rate: 'Positive rate (churned share of the holdout)',
  rmse: 'RMSE', mae: 'MAE', r2: 'R²',
};
/** LTV metrics come in three: the model's, "predict the mean" and "repeat the last period". */
export const LTV_BASELINES = [['', 'model'], ['_mean_baseline', 'predict the mean'], ['_last_period_baseline', 'repeat the last period']];

/** A metric as the pages write it: 4 decimals (the title attribute holds the full value). */
export function metric(v) {
  return v === null || v === undefined || !Number.isFinite(Number(v)) ? '–' : Number(v).toFixed(4);
}
export const lower = (s) => String(s ?? '').toLowerCase();

/** The task's promotion of GET /api/v1/models ("promotions"), or an empty one. */
export function promotionOf(list, task) {
  return list?.promotions?.[task] ?? { task, version: null, challenger_version: null, previous_version: null };
}

// ---- charts --------------------------------------------------------------------------------------

/** Mean predicted vs observed churn rate per non-empty bin, against the diagonal of a perfectly calibrated model. */
export function calibrationChart(bins) {
  const points = bins.filter((b) => b.count > 0).map((b) => [b.meanPredicted, b.observedRate, b.count]);
  return {
    grid: { left: 66, right: 24, top: 30, bottom: 44 },
    tooltip: { trigger: 'item', formatter: (p) => (p.seriesIndex === 0
      ? `mean predicted ${p.value[0].toFixed(3)}<br>observed ${p.value[1].toFixed(3)}<br>${p.value[2]} holdout rows` : 'perfect calibration') },
    legend: { data: ['model', 'perfect calibration'], top: 0 },
    xAxis: { type: 'value', min: 0, max: 1, name: 'mean predicted churn risk', nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', min: 0, max: 1, name: 'observed churn rate', nameLocation: 'middle', nameGap: 38 },
    series: [
      { name: 'model', type: 'line', data: points, symbolSize: 9, showAllSymbol: true, lineStyle: { width: 2 }, color: '#3d5bd9' },
      { name: 'perfect calibration', type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { type: 'dashed', color: '#9aa3b5' },
        color: '#9aa3b5', silent: true },
    ],
  };
}

/** The features by importance (largest magnitude first), signed for linear models. */
export function importanceChart(features) {
  return {
    grid: { left: 140, right: 40, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: features.map((f) => f.feature), inverse: true },
    series: [{ type: 'bar', name: 'importance', data: features.map((f) => ({ value: f.weight, itemStyle: { color: f.weight >= 0 ? '#3d5bd9' : '#d98b2b' } })) }],
  };
}

/** A histogram: bars of `counts` over the labels of `bins`. */
export function histogramChart(bins, counts, name, color = '#5b8ff9') {
  return {
    grid: { left: 50, right: 20, top: 16, bottom: 44 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: bins.map((b) => b.label), name, nameLocation: 'middle', nameGap: 28 },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: 'count', data: counts, itemStyle: { color }, label: { show: true, position: 'top' } }],
  };
}

// ---- the score distribution over persons ------------------------------------------------------------

export const DISTRIBUTION_LIMIT = 200;
export const DISTRIBUTION_DAYS = 30;
/** The ten bins of a churn risk, [0, 0.1) … [0.9, 1] (the last includes 1), as the training's calibration table. */
export const RISK_BINS = Array.from({ length: 10 }, (_, i) => ({ lower: i / 10, upper: (i + 1) / 10,
  label: `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}` }));
export const binOf = (value) => Math.min(9, Math.max(0, Math.floor(value * 10)));

/** The persons with an event in the last DISTRIBUTION_DAYS days, most recently active first (the SQL console's view). */
export function activePersonsSql() {
  return `SELECT resolved_person_id AS person, max(event_time_ms) AS last_ms
FROM events
WHERE event_time >= now() - INTERVAL ${DISTRIBUTION_DAYS} DAY AND resolved_person_id != ${literal('')}
GROUP BY person
ORDER BY last_ms DESC, person
LIMIT ${DISTRIBUTION_LIMIT}`;
}

/**
 * The churn_risk of the recently active persons, each read from its profile (GET /api/v1/users/{id}, a few at a time):
 * {persons, scored, unscored, missing, counts[10], versions: {version: n}}. There is no API that aggregates scores; this
 * reads at most DISTRIBUTION_LIMIT profiles.
 */
export async function scoreDistribution(score = SCORE_OF.churn, parallel = 6) {
  const persons = (await api.sql(activePersonsSql())).rows.map((r) => String(r[0]));
  const counts = RISK_BINS.map(() => 0);
  const versions = {};
  let scored = 0;
  let missing = 0;
  let next = 0;
  async function worker() {
    while (next < persons.length) {
      const person = persons[next++];
      let profile = null;
      try {
        profile = await api.get(`/api/v1/users/${encodeURIComponent(person)}`);
      } catch (e) {
        if (e.status === 404) {
          missing++;
          continue;
        }
        throw e;
      }
      const s = profile.scores?.[score];
      if (!s) continue;
      scored++;
      counts[binOf(s.value)]++;
      const v = s.model_version ?? 'no model version';
      versions[v] = (versions[v] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, persons.length) }, worker));
  return { persons: persons.length, scored, unscored: persons.length - scored - missing, missing, counts, versions };
}
