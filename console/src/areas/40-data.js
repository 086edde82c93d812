// Data management: the metadata registry (events, properties), discovery, the dead letters and data quality.
import DataLayout from '../pages/data/DataLayout.vue';
import Events from '../pages/data/Events.vue';
import Properties from '../pages/data/Properties.vue';
import Discovered from '../pages/data/Discovered.vue';
import DeadLetters from '../pages/data/DeadLetters.vue';
import DataQuality from '../pages/data/DataQuality.vue';

export const section = 'Data';

export const routes = [
  {
    // the redirect sits on the parent so the "Data" link stays active on every tab
    path: '/data',
    component: DataLayout,
    redirect: '/data/events',
    children: [
      { path: 'events', component: Events },
      { path: 'properties', component: Properties },
      { path: 'discovered', component: Discovered },
      { path: 'dead-letters', component: DeadLetters },
      { path: 'quality', component: DataQuality },
    ],
  },
];
export const nav = [{ to: '/data', label: 'Data management', testid: 'nav-data' }];
