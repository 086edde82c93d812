import { createRouter, createWebHistory } from 'vue-router';
import { session } from './session.js';
import SignIn from './pages/SignIn.vue';

// Each area of the console is a module in areas/ (file-name order = menu order) exporting its `routes`
// and its `nav` links. A new top-level path must also be listed in the platform's ConsoleRoutes.CLIENT_ROUTES.
const areas = Object.entries(import.meta.glob('./areas/*.js', { eager: true }))
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([, module]) => module);

export const navLinks = areas.flatMap((a) => a.nav ?? []);

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
