/** The clutter library (kept at this path for its importers): see clutter/index.ts. */
export * from './clutter/index.js';
