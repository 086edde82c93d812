// Insights: the analysis builders on POST /api/v1/insights/{analysis}.
import Trends from '../pages/Trends.vue';
import Funnels from '../pages/Funnels.vue';
import Retention from '../pages/Retention.vue';

export const routes = [
  { path: '/insights/trends', component: Trends },
  { path: '/insights/funnels', component: Funnels },
  { path: '/insights/retention', component: Retention },
];
export const nav = [
  { to: '/insights/trends', label: 'Trends', testid: 'nav-trends' },
  { to: '/insights/funnels', label: 'Funnels', testid: 'nav-funnels' },
  { to: '/insights/retention', label: 'Retention', testid: 'nav-retention' },
];
