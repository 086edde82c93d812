import { reactive } from 'vue';

// Secret keys live in sessionStorage only (gone when the tab closes), never in the URL or localStorage.
const STORE = 'beacon.console.projects';
const CURRENT = 'beacon.console.current';

function load() {
  try {
    const list = JSON.parse(sessionStorage.getItem(STORE) || '[]');
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

const state = reactive({ projects: load(), currentId: sessionStorage.getItem(CURRENT) || '' });

function save() {
  sessionStorage.setItem(STORE, JSON.stringify(state.projects));
  sessionStorage.setItem(CURRENT, state.currentId);
}

export const session = {
  state,
  /** The signed-in project {id, name, timezone, key}, or undefined. */
  current() {
    return state.projects.find((p) => p.id === state.currentId) || state.projects[0];
  },
  /** Adds (or replaces) a project and makes it current. */
  add(project) {
    state.projects = [...state.projects.filter((p) => p.id !== project.id), project];
    state.currentId = project.id;
    save();
  },
  switchTo(id) {
    state.currentId = id;
    save();
  },
  remove(id) {
    state.projects = state.projects.filter((p) => p.id !== id);
    if (state.currentId === id) state.currentId = state.projects[0]?.id || '';
    save();
  },
};
