// Insights: the analysis builders on POST /api/v1/insights/{analysis}.
import Trends from '../pages/Trends.vue';
import Funnels from '../pages/Funnels.vue';
import Retention from '../pages/Retention.vue';
import Paths from '../pages/Paths.vue';
import Stickiness from '../pages/Stickiness.vue';
import Lifecycle from '../pages/Lifecycle.vue';
import Distribution from '../pages/Distribution.vue';

export const section = 'Insights';

export const routes = [
  { path: '/insights/trends', component: Trends },
  { path: '/insights/funnels', component: Funnels },
  { path: '/insights/retention', component: Retention },
  { path: '/insights/paths', component: Paths },
  { path: '/insights/stickiness', component: Stickiness },
  { path: '/insights/lifecycle', component: Lifecycle },
  { path: '/insights/distribution', component: Distribution },
];
export const nav = [
  { to: '/insights/trends', label: 'Trends', testid: 'nav-trends' },
  { to: '/insights/funnels', label: 'Funnels', testid: 'nav-funnels' },
  { to: '/insights/retention', label: 'Retention', testid: 'nav-retention' },
  { to: '/insights/paths', label: 'Paths', testid: 'nav-paths' },
  { to: '/insights/stickiness', label: 'Stickiness', testid: 'nav-stickiness' },
  { to: '/insights/lifecycle', label: 'Lifecycle', testid: 'nav-lifecycle' },
  { to: '/insights/distribution', label: 'Distribution', testid: 'nav-distribution' },
];
