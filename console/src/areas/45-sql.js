// The SQL console on POST /api/v1/sql.
import SqlConsole from '../pages/SqlConsole.vue';

export const section = 'Data';

export const routes = [{ path: '/sql', component: SqlConsole }];
export const nav = [{ to: '/sql', label: 'SQL', testid: 'nav-sql' }];
