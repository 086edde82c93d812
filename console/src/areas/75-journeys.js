// Journeys: the marketer-defined per-user workflows of /api/v1/journeys (issue 19) — the list with status and entry
// counts, the JSON editor with validation messages beside each problem, and each journey's page: lifecycle, versions,
// a read-only canvas of its graph with per-step counts, the funnel of its steps and its exits (GET …/stats).
import JourneyEditor from '../pages/journeys/JourneyEditor.vue';
import JourneyList from '../pages/journeys/JourneyList.vue';
import JourneyPage from '../pages/journeys/JourneyPage.vue';

export const section = 'Engage';

export const routes = [
  { path: '/journeys', component: JourneyList },
  { path: '/journeys/new', component: JourneyEditor },
  { path: '/journeys/:id/edit', component: JourneyEditor },
  { path: '/journeys/:id', component: JourneyPage, props: true },
];
export const nav = [{ to: '/journeys', label: 'Journeys', testid: 'nav-journeys' }];
