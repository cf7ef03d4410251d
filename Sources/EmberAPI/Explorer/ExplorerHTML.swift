/// The explorer's one HTML page; `app.js` renders every view into `<main>` from the URL's fragment.
enum ExplorerHTML {
    static let page = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ember explorer</title>
<link rel="stylesheet" href="/explorer/style.css">
<link rel="icon" href="data:,">
</head>
<body>
<header>
  <a class="brand" href="#/">Ember explorer</a>
  <nav><a href="#/">Chain</a> <a href="#/covenants/1">Layer 2</a></nav>
  <form id="search"><input name="q" placeholder="height, block hash, txid or address" aria-label="search" size="40"><button>Go</button></form>
</header>
<section id="status" aria-live="polite"></section>
<main id="view"><p class="notice">Loading…</p></main>
<ul id="errors"></ul>
<footer>Served by the node; reads only its <a href="/v1/openapi.json">/v1 API</a>. Updates as blocks arrive.</footer>
<script type="module" src="/explorer/app.js"></script>
</body>
</html>
"""#
}
