/**
 * The review page's optical view: a renderer started on the first request (most
 * review sessions never ask, and a browser costs seconds and hundreds of MB), with
 * the species catalog the dataset was made with.
 */
import { openDatabase } from '../db/database.js';
import { Renderer } from '../render/renderer.js';
import { SpeciesLibrary } from '../dataset/species-library.js';
import type { OpticalRenderer } from './api.js';
import { RequestError } from './request-error.js';

export interface OpticalSource {
  render: OpticalRenderer;
  close: () => Promise<void>;
}

/** The catalog folder the dataset's last run recorded (refresh runs do), else the bundled one. */
function recordedCatalog(dbPath: string): string | undefined {
  const db = openDatabase(dbPath, { readonly: true });
  try {
    const catalog = db.latestRun()?.options.catalog;
    return typeof catalog === 'string' ? catalog : undefined;
  } finally {
    db.close();
  }
}

export function lazyOpticalSource(dbPath: string, options: { chromium?: string; gpu?: boolean } = {}): OpticalSource {
  let starting: Promise<Renderer> | null = null;
  const start = async (): Promise<Renderer> => {
    const species = await SpeciesLibrary.load(recordedCatalog(dbPath));
    return Renderer.launch({ assets: species, chromium: options.chromium, gpu: options.gpu, pages: 1 });
  };
  return {
    render: async (scene, size) => {
      starting ??= start();
      let renderer: Renderer;
      try {
        renderer = await starting;
      } catch (e) {
        starting = null; // a later click may succeed (e.g. once Chromium is installed)
        throw new RequestError(503, `the optical renderer could not start: ${(e as Error).message}`);
      }
      return renderer.renderOptical(scene, size);
    },
    close: async () => {
      const pending = starting;
      starting = null;
      if (pending) await pending.then((r) => r.close(), () => undefined);
    },
  };
}
