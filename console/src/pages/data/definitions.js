// The shared machinery of the registry tabs (events, properties): the list with its search (kept in the URL),
// the create/edit form with versioned writes (a stale version answers 409 VERSION_CONFLICT, field "version"),
// and delete with a confirmation.
import { computed, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { api } from '../../api.js';

/** One entry per non-empty line (list fields are edited one per line). */
export function lines(text) {
  return String(text || '').split('\n').map((s) => s.trim()).filter((s) => s !== '');
}

// How many stored events carry each event name / property key in the last 30 days, through the SQL API.
const VOLUME_SQL = {
  events: 'SELECT event_name, count() AS n FROM events WHERE event_time >= now() - INTERVAL 30 DAY GROUP BY event_name LIMIT 10000',
  properties: 'SELECT k, count() AS n FROM events ARRAY JOIN properties.key AS k WHERE event_time >= now() - INTERVAL 30 DAY GROUP BY k LIMIT 10000',
};

/** `kind` is "events" or "properties"; `blank()` a new form, `toForm(def)` a form of a definition, `toBody(form)` the API body. */
export function useDefinitions(kind, { blank, toForm, toBody, searchIn }) {
  const route = useRoute();
  const router = useRouter();
  const base = `/api/v1/metadata/${kind}`;
  const pathOf = (name) => `${base}/${encodeURIComponent(name)}`;

  const items = ref(null);
  const loading = ref(false);
  const loadError = ref(null);
  const search = ref(typeof route.query.search === 'string' ? route.query.search : '');
  watch(search, (s) => router.replace({ query: { ...route.query, search: s || undefined } }));
  const shown = computed(() => {
    const q = search.value.trim().toLowerCase();
    const all = items.value || [];
    return q ? all.filter((d) => searchIn(d).some((t) => String(t ?? '').toLowerCase().includes(q))) : all;
  });

  async function load() {
    loading.value = true;
    loadError.value = null;
    try {
      const answer = await api.get(base);
      items.value = [...answer[kind]].sort((a, b) => a.name.localeCompare(b.name));
    } catch (e) {
      loadError.value = e;
    } finally {
      loading.value = false;
    }
  }

  const volumes = ref(null); // name -> events in the last 30 days
  const volumeError = ref(null);
  async function loadVolumes() {
    volumeError.value = null;
    try {
      const answer = await api.sql(VOLUME_SQL[kind]);
      volumes.value = new Map(answer.rows.map(([name, n]) => [name, Number(n)]));
    } catch (e) {
      volumeError.value = e;
    }
  }
  const volumeOf = (name) => (volumes.value ? volumes.value.get(name) ?? 0 : null);

  const editing = ref(null); // { mode: 'create' | 'edit', name, version, form }
  const saving = ref(false);
  const saveError = ref(null);
  const notice = ref('');
  function startCreate() {
    editing.value = { mode: 'create', name: '', version: 0, form: blank() };
    saveError.value = null;
    notice.value = '';
  }
  function startEdit(def) {
    editing.value = { mode: 'edit', name: def.name, version: def.version, form: toForm(def) };
    saveError.value = null;
    notice.value = '';
  }
  function cancelEdit() {
    editing.value = null;
    saveError.value = null;
  }
  async function save() {
    const e = editing.value;
    saving.value = true;
    saveError.value = null;
    try {
      const body = toBody(e.form);
      const saved = e.mode === 'create'
        ? await api.post(base, body)
        : await api.put(pathOf(e.name), { ...body, name: e.name, version: e.version });
      notice.value = `${e.mode === 'create' ? 'Created' : 'Saved'} '${saved.name}', now version ${saved.version}.`;
      editing.value = null;
      await load();
    } catch (err) {
      saveError.value = err;
      if (err.code === 'VERSION_CONFLICT') load(); // the table shows what the other writer saved
    } finally {
      saving.value = false;
    }
  }
  /** After a conflict: the definition as it is now (the edits are discarded). */
  async function reloadEditing() {
    const name = editing.value.name;
    try {
      startEdit(await api.get(pathOf(name)));
    } catch (err) {
      saveError.value = err;
    }
  }

  const confirming = ref(null); // the definition waiting for its delete confirmation
  const deleteError = ref(null);
  const deleting = ref(false);
  function askDelete(def) {
    confirming.value = def;
    deleteError.value = null;
    notice.value = '';
  }
  async function confirmDelete() {
    const def = confirming.value;
    deleting.value = true;
    deleteError.value = null;
    try {
      await api.del(`${pathOf(def.name)}?version=${def.version}`);
      notice.value = `Deleted '${def.name}'.`;
      confirming.value = null;
      if (editing.value?.name === def.name) editing.value = null;
      await load();
    } catch (err) {
      deleteError.value = err;
    } finally {
      deleting.value = false;
    }
  }

  load();
  loadVolumes();
  return {
    items, shown, loading, loadError, search, load, volumeOf, volumeError,
    editing, saving, saveError, notice, startCreate, startEdit, cancelEdit, save, reloadEditing,
    confirming, deleteError, deleting, askDelete, confirmDelete,
  };
}
