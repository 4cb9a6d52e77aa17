/** What every view of the page gets: the state, navigation, the dataset's meta data, the reviewer. */
import type { MetaResponse } from '../api-types.js';
import type { PageState } from './state.js';

export interface App {
  readonly state: PageState;
  readonly meta: MetaResponse;
  /** Changes the state (and the URL); `push` adds a history entry, else the current one is replaced. */
  navigate(patch: Partial<PageState>, push?: boolean): void;
  /** Changes the state and the URL without drawing the view again (for changes the view applies itself). */
  update(patch: Partial<PageState>): void;
  /** The reviewer's name, asking for it once (kept in localStorage); null when the reviewer cancels. */
  reviewer(): Promise<string | null>;
  /** Shows an error from the server (e.g. a query with a caret under the bad token). */
  showError(message: string | null): void;
}

export const PAGE_SIZE = 60;
