/** The review page's entry point (bundled by scripts/page-bundle.mjs): URL state, header, and which view to draw. */
import type { MetaResponse } from '../api-types.js';
import type { App } from './app.js';
import { api } from './client.js';
import { isTyping } from './dom.js';
import { renderGallery } from './gallery.js';
import { renderSample } from './sample-view.js';
import { parseState, serialiseState, type PageState } from './state.js';
import { renderStats } from './stats-view.js';
import './styles.css';

const NAME_KEY = 'exoray.reviewer';

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  const input = document.getElementById('q') as HTMLInputElement;
  const errorBox = document.getElementById('query-error')!;
  const nameButton = document.getElementById('reviewer') as HTMLButtonElement;
  const dialog = document.getElementById('name-dialog') as HTMLDialogElement;
  const nameInput = document.getElementById('name-input') as HTMLInputElement;
  let meta: MetaResponse;
  try {
    meta = await api.meta();
  } catch (e) {
    root.textContent = `The review server did not answer: ${(e as Error).message}`;
    return;
  }

  let state = parseState(location.search);
  let cleanup: () => void = () => {};
  let drawing = 0;

  const showName = () => {
    const name = localStorage.getItem(NAME_KEY);
    nameButton.textContent = name ? `Reviewer: ${name}` : 'Set your name';
  };

  const askName = (): Promise<string | null> =>
    new Promise((resolve) => {
      nameInput.value = localStorage.getItem(NAME_KEY) ?? '';
      dialog.addEventListener(
        'close',
        () => {
          const name = nameInput.value.trim();
          if (dialog.returnValue === 'ok' && name) localStorage.setItem(NAME_KEY, name);
          showName();
          resolve(localStorage.getItem(NAME_KEY));
        },
        { once: true },
      );
      dialog.returnValue = '';
      dialog.showModal();
    });

  const app: App = {
    get state() {
      return state;
    },
    meta,
    navigate(patch, push = false) {
      state = { ...state, ...patch };
      history[push ? 'pushState' : 'replaceState'](null, '', `/${serialiseState(state)}`);
      void draw();
    },
    update(patch) {
      state = { ...state, ...patch };
      history.replaceState(null, '', `/${serialiseState(state)}`);
    },
    reviewer: async () => localStorage.getItem(NAME_KEY) || (await askName()),
    showError(message) {
      errorBox.hidden = message === null;
      errorBox.textContent = message ?? '';
    },
  };

  async function draw(): Promise<void> {
    const token = ++drawing;
    // data-ready marks a drawn view (tests and screenshots wait for it).
    delete document.body.dataset.ready;
    cleanup();
    cleanup = () => {};
    input.value = state.q;
    document.body.dataset.view = state.sample ? 'sample' : state.tab;
    document.querySelectorAll<HTMLElement>('nav [data-nav]').forEach((a) => a.classList.toggle('active', !state.sample && a.dataset.nav === state.tab));
    const render = state.sample ? renderSample : state.tab === 'stats' ? renderStats : renderGallery;
    const done = await render(app, root);
    // A newer navigation started while this one was loading: drop this one's listeners.
    if (token !== drawing) done();
    else {
      cleanup = done;
      document.body.dataset.ready = String(token);
    }
  }

  document.getElementById('search')!.addEventListener('submit', (e) => {
    e.preventDefault();
    app.navigate({ q: input.value.trim(), page: 0, sample: null }, true);
  });
  document.addEventListener('click', (e) => {
    const link = (e.target as HTMLElement).closest<HTMLAnchorElement>('a[data-nav]');
    if (!link || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    app.navigate({ tab: link.dataset.nav === 'stats' ? 'stats' : 'gallery', sample: null, page: 0 }, true);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === '/' && !isTyping(e.target)) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  nameButton.addEventListener('click', () => void askName());
  window.addEventListener('popstate', () => {
    state = parseState(location.search) as PageState;
    void draw();
  });
  showName();
  await draw();
}

void boot();
