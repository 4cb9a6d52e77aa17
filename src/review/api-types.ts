/** The JSON the review server sends and the page reads; types only, shared by both sides. */
import type { StoredReview } from '../db/database.js';
import type { SampleFile, SampleSummary, StoredInstance, StoredObject } from '../db/records.js';
import type { Stats } from '../db/stats.js';
import type { SampleTile } from '../db/tiles.js';
import type { ScannerSettings, SceneDescription } from '../core/types.js';

export interface ApiError {
  error: string;
  status: number;
}

export interface MetaResponse {
  dataset: string;
  samples: number;
  verdicts: readonly string[];
  reasons: ReadonlyArray<{ id: string; label: string }>;
  optical: boolean;
}

export interface GalleryItem extends SampleSummary, SampleTile {
  thumb: string;
}

export interface SamplesResponse {
  query: string;
  /** Matching samples; when `capped`, at least this many (the count stopped there). */
  total: number;
  capped?: true;
  offset: number;
  limit: number;
  samples: GalleryItem[];
}

export interface SampleResponse {
  sample: SampleSummary & {
    scanner: ScannerSettings;
    scene: SceneDescription;
    instances: StoredInstance[];
    objects: StoredObject[];
    files: Array<SampleFile & { url: string }>;
  };
  reviews: StoredReview[];
}

export interface ReviewRequest {
  verdict: string;
  reason?: string | null;
  note?: string;
  reviewer: string;
}

export interface StatsResponse {
  query: string;
  stats: Stats;
  /** Latest reject/flag reasons for each preset (the generator's weak spots). */
  reasonsByPreset: Record<string, Record<string, number>>;
}

export type FacetsResponse = { query: string; stats: Stats };
