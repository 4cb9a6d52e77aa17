/** Geometry: pure typed-array mesh code shared by Node and the browser page. */
export * from './mesh.js';
export * from './normals.js';
export * from './rings.js';
export * from './primitives.js';
export * from './superellipsoid.js';
export * from './torus.js';
export * from './validate.js';
