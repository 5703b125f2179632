// heelcheck embed helper, for the page that shows the widget in an iframe:
//   <iframe src="https://HEELCHECK-SITE/embed/" title="Heel pain check" width="100%" height="640"></iframe>
//   <script src="https://HEELCHECK-SITE/static/heelcheck/embed.js" async></script>
// It sets each such iframe's height to fit the page inside it, from the height that page
// posts. Without this script the iframe keeps its own height and scrolls.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var origin = new URL(script.src, window.location.href).origin;
  var MIN = 120, MAX = 20000;

  function widgets() {
    return Array.prototype.filter.call(document.getElementsByTagName("iframe"), function (f) {
      return f.src.indexOf(origin + "/embed/") === 0;
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin) { return; }
    var data = event.data;
    if (!data || typeof data !== "object" || data.heelcheck !== "height") { return; }
    var h = data.height;
    if (typeof h !== "number" || !isFinite(h) || h < MIN || h > MAX) { return; }
    widgets().forEach(function (frame) {
      if (frame.contentWindow === event.source) {
        frame.style.height = Math.ceil(h) + "px";
      }
    });
  });

  // A widget that loaded before this script already sent its height: ask again. A frame
  // whose address this page can still read has not loaded the widget yet (it is still
  // about:blank); it will send its height when it does.
  widgets().forEach(function (frame) {
    var win = frame.contentWindow;
    if (!win) { return; }
    try {
      if (win.location.href) { return; }
    } catch (crossOrigin) { /* the widget is there */ }
    win.postMessage({ heelcheck: "measure" }, origin);
  });
})();
