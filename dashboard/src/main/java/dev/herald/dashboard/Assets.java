package dev.herald.dashboard;

/**
 * The page's script and style, served from the dashboard's own path so that the Content Security
 * Policy can forbid inline script and style altogether.
 */
final class Assets {

  private Assets() {}

  // Live refresh: every refresh interval, fetch the two fragments (same origin, same query) and
  // swap them in. Server-rendered fragments keep escaping in one place (the server); the script
  // never builds HTML from data.
  static final String SCRIPT =
      """
      (function () {
        var root = document.getElementById('herald-dashboard');
        if (!root) { return; }
        var base = root.getAttribute('data-base');
        var every = parseInt(root.getAttribute('data-refresh-ms'), 10) || 2000;
        function swap(id, url) {
          return fetch(url, { credentials: 'same-origin', cache: 'no-store' })
            .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
            .then(function (html) {
              var el = document.getElementById(id);
              if (el) { el.innerHTML = html; }
            });
        }
        function tick() {
          var q = window.location.search;
          Promise.all([
            swap('receivers-box', base + '/fragment/receivers'),
            swap('dead-box', base + '/fragment/dead' + q)
          ]).then(function () {
            root.setAttribute('data-refreshed', String(Date.now()));
            document.getElementById('status').textContent = 'live';
          }, function () {
            document.getElementById('status').textContent = 'refresh failed, retrying';
          }).finally(function () { setTimeout(tick, every); });
        }
        setTimeout(tick, every);
      })();
      """;

  static final String STYLE =
      """
      body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
      h1 { font-size: 1.4em; margin: 0 0 .2em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
      table { border-collapse: collapse; width: 100%; }
      th, td { border-bottom: 1px solid #ddd; padding: .3em .5em; text-align: left;
               vertical-align: top; }
      th { background: #f4f4f4; }
      td.ready, td.running, td.held, td.running-here, td.scheduled, td.dead { text-align: right; }
      pre { margin: 0; max-width: 40em; max-height: 8em; overflow: auto; white-space: pre-wrap;
            word-break: break-all; }
      .breaker-OPEN { color: #c0392b; font-weight: bold; }
      .breaker-HALF_OPEN { color: #b9770e; font-weight: bold; }
      .flash { background: #eaf6ec; border: 1px solid #2b7a3d; padding: .4em .6em; }
      .error-box { background: #fdecea; border: 1px solid #c0392b; padding: .4em .6em; }
      form { display: inline; } .filters input { width: 12em; }
      .muted, .note { color: #777; } #status { color: #2b7a3d; font-size: .9em; }
      button.purge { color: #c0392b; }
      """;
}
