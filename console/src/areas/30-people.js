// People: person search and recently active persons, a person's profile (actor engine) and event timeline, and a
// live tail of incoming events.
import People from '../pages/people/People.vue';
import Person from '../pages/people/Person.vue';
import LiveEvents from '../pages/people/LiveEvents.vue';

export const section = 'People';

export const routes = [
  { path: '/people', component: People },
  { path: '/people/:id', component: Person },
  { path: '/live', component: LiveEvents },
];
export const nav = [
  { to: '/people', label: 'People', testid: 'nav-people' },
  { to: '/live', label: 'Live events', testid: 'nav-live' },
];
