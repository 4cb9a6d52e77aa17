// Bundles the render page (three.js + shared geometry code) into dist/render/page/page.js.
import { buildPage } from './page-bundle.mjs';
await buildPage();
