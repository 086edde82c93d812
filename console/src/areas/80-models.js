// Models: the churn and LTV model versions of /api/v1/models (docs/ml.md, "Promotion") — per task the champion, the
// challenger with its share and the previous version, every version with its holdout metrics, promotion, challenger and
// rollback; each version's evaluation (metrics, calibration chart, feature importance, provenance); and the distribution
// of churn_risk over recently active persons, read from their profiles.
import ModelList from '../pages/models/ModelList.vue';
import ModelDetail from '../pages/models/ModelDetail.vue';

export const section = 'Predict';

export const routes = [
  { path: '/models', component: ModelList },
  { path: '/models/:version', component: ModelDetail, props: true },
];
export const nav = [{ to: '/models', label: 'Models', testid: 'nav-models' }];
