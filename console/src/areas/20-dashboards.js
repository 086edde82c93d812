// Dashboards: saved insights pinned to dashboards, on /api/v1/saved-insights and /api/v1/dashboards.
import DashboardList from '../pages/dashboards/DashboardList.vue';
import DashboardPage from '../pages/dashboards/DashboardPage.vue';

export const section = 'Insights';

export const routes = [
  { path: '/dashboards', component: DashboardList },
  { path: '/dashboards/:id', component: DashboardPage },
];
export const nav = [{ to: '/dashboards', label: 'Dashboards', testid: 'nav-dashboards' }];
