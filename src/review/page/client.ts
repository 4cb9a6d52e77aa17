/** Fetches from the review server's JSON API; a 4xx/5xx becomes an Error carrying the server's message. */
import type { FacetsResponse, MetaResponse, ReviewRequest, SampleResponse, SamplesResponse, StatsResponse } from '../api-types.js';
import type { StoredReview } from '../../db/database.js';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = (await res.json().catch(() => ({ error: `${res.status} ${res.statusText}` }))) as T & { error?: string };
  if (!res.ok) throw new ApiFailure(res.status, body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

const qs = (params: Record<string, string | number>) => new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();

export const api = {
  meta: () => getJson<MetaResponse>('/api/meta'),
  samples: (q: string, offset: number, limit: number) => getJson<SamplesResponse>(`/api/samples?${qs({ q, offset, limit })}`),
  facets: (q: string) => getJson<FacetsResponse>(`/api/facets?${qs({ q })}`),
  stats: (q: string) => getJson<StatsResponse>(`/api/stats?${qs({ q })}`),
  sample: (id: string) => getJson<SampleResponse>(`/api/samples/${encodeURIComponent(id)}`),
  review: (id: string, review: ReviewRequest) =>
    getJson<{ id: number; reviews: StoredReview[] }>(`/api/samples/${encodeURIComponent(id)}/reviews`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(review),
    }),
};
