import { createRouter, createWebHistory } from 'vue-router';
import { session } from './session.js';
import SignIn from './pages/SignIn.vue';
import Trends from './pages/Trends.vue';
import Funnels from './pages/Funnels.vue';
import Retention from './pages/Retention.vue';
import SqlConsole from './pages/SqlConsole.vue';

export const router = createRouter({
  history: createWebHistory('/'),
  routes: [
    { path: '/', redirect: '/insights/trends' },
    { path: '/sign-in', component: SignIn, meta: { public: true } },
    { path: '/insights/trends', component: Trends },
    { path: '/insights/funnels', component: Funnels },
    { path: '/insights/retention', component: Retention },
    { path: '/sql', component: SqlConsole },
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
