/** The review page's HTML shell; everything else is drawn by the bundled script (src/review/page/). */

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function pageHtml(datasetName: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(datasetName)} · exoray review</title>
<link rel="stylesheet" href="/assets/review.css">
</head>
<body>
<header class="topbar">
  <a class="brand" href="/" data-nav="gallery">exoray <span>review</span></a>
  <span class="dataset">${escape(datasetName)}</span>
  <form id="search" class="search" autocomplete="off">
    <input id="q" name="q" type="search" spellcheck="false" placeholder="species:stag* visibility&lt;0.3 animals&gt;=2 &quot;python&quot;  (press / to search)">
  </form>
  <nav><a href="/?tab=gallery" data-nav="gallery">Gallery</a><a href="/?tab=stats" data-nav="stats">Stats</a></nav>
  <button id="reviewer" class="reviewer" type="button" title="Reviewer name (kept in this browser)"></button>
</header>
<div id="query-error" class="query-error" hidden></div>
<main id="app"></main>
<dialog id="name-dialog">
  <form method="dialog">
    <p>Your name, stored with every verdict you give (kept in this browser):</p>
    <input id="name-input" name="name" required maxlength="100" autocomplete="name">
    <menu><button value="ok">Save</button></menu>
  </form>
</dialog>
<script src="/assets/review.js"></script>
</body>
</html>
`;
}
