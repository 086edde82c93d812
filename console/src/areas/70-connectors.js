// CDP connectors: the destinations of /api/v1/destinations (webhook, push, CRM) — the list with live status and
// delivery stats, the create/edit form, and each destination's stats, recent attempts, test message and DLQ.
import Destination from '../pages/connectors/Destination.vue';
import DestinationForm from '../pages/connectors/DestinationForm.vue';
import DestinationList from '../pages/connectors/DestinationList.vue';

export const section = 'Engage';

export const routes = [
  { path: '/destinations', component: DestinationList },
  { path: '/destinations/new', component: DestinationForm },
  { path: '/destinations/:id/edit', component: DestinationForm },
  { path: '/destinations/:id', component: Destination, props: true },
];
export const nav = [{ to: '/destinations', label: 'Destinations', testid: 'nav-destinations' }];
