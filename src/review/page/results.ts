/**
 * The ids of the latest page of results, so next/previous in the sample view
 * needs a request only once per page (a search over 100,000 samples takes a while).
 */
import { PAGE_SIZE } from './app.js';
import { api } from './client.js';

let cached: { query: string; offset: number; ids: string[] } | null = null;

export function rememberPage(query: string, offset: number, ids: string[]): void {
  cached = { query, offset, ids };
}

/** The id of the sample at `index` of the results of `query`, or null past the end. */
export async function sampleAt(query: string, index: number): Promise<string | null> {
  if (index < 0) return null;
  const hit = cached && cached.query === query && index >= cached.offset && index < cached.offset + cached.ids.length;
  if (!hit) {
    const offset = Math.floor(index / PAGE_SIZE) * PAGE_SIZE;
    const page = await api.samples(query, offset, PAGE_SIZE);
    rememberPage(query, offset, page.samples.map((s) => s.id));
  }
  return cached!.ids[index - cached!.offset] ?? null;
}
