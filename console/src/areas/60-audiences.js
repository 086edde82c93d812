// Audiences: cohorts (evaluated by ClickHouse over the history) and realtime segments (evaluated by the engine),
// both written in the one rule language of docs/audiences.md with the shared RuleBuilder.
import AudienceList from '../pages/audiences/AudienceList.vue';
import AudienceNew from '../pages/audiences/AudienceNew.vue';
import Cohort from '../pages/audiences/Cohort.vue';
import Segment from '../pages/audiences/Segment.vue';

export const section = 'Engage';

export const routes = [
  { path: '/cohorts', component: AudienceList, props: { kind: 'cohort' } },
  { path: '/cohorts/new', component: AudienceNew, props: { kind: 'cohort' } },
  { path: '/cohorts/:id', component: Cohort, props: true },
  { path: '/segments', component: AudienceList, props: { kind: 'segment' } },
  { path: '/segments/new', component: AudienceNew, props: { kind: 'segment' } },
  { path: '/segments/:id', component: Segment, props: true },
];
export const nav = [
  { to: '/cohorts', label: 'Cohorts', testid: 'nav-cohorts' },
  { to: '/segments', label: 'Segments', testid: 'nav-segments' },
];
