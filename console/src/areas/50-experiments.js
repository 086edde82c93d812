// Experiments: the A/B tests of /api/v1/experiments — the list, the create/edit form with its lifecycle actions, and
// each experiment's results.
import ExperimentList from '../pages/experiments/ExperimentList.vue';
import ExperimentForm from '../pages/experiments/ExperimentForm.vue';
import ExperimentResults from '../pages/experiments/ExperimentResults.vue';

export const section = 'Engage';

export const routes = [
  { path: '/experiments', component: ExperimentList },
  { path: '/experiments/new', component: ExperimentForm },
  { path: '/experiments/:key/edit', component: ExperimentForm },
  { path: '/experiments/:key', component: ExperimentResults },
];
export const nav = [{ to: '/experiments', label: 'Experiments', testid: 'nav-experiments' }];
