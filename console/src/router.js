import { createRouter, createWebHistory } from 'vue-router';
import { session } from './session.js';
import SignIn from './pages/SignIn.vue';

// Each area of the console is a module in areas/ (file-name order = menu order) exporting its `routes`, its
// `nav` links and optionally the menu `section` they go under. A new top-level path must also be listed in the
// platform's ConsoleRoutes.CLIENT_ROUTES.
const areas = Object.entries(import.meta.glob('./areas/*.js', { eager: true }))
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([, module]) => module);

/** The menu: [{section, links}], consecutive areas of one section merged. */
export const navGroups = areas.filter((a) => (a.nav ?? []).length > 0).reduce((groups, a) => {
  const last = groups[groups.length - 1];
  if (last && a.section && last.section === a.section) last.links.push(...a.nav);
  else groups.push({ section: a.section ?? '', links: [...a.nav] });
  return groups;
}, []);

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/insights/trends' },
    { path: '/sign-in', component: SignIn, meta: { public: true } },
    ...areas.flatMap((a) => a.routes),
    { path: '/:rest(.*)*', redirect: '/insights/trends' },
  ],
});

// Pages other than sign-in need a key; the page asked for comes back after signing in.
router.beforeEach((to) => {
  if (!to.meta.public && !session.current()) {
    return { path: '/sign-in', query: { next: to.fullPath } };
  }
  return true;
});
