// heelcheck inside another site's iframe: tell the page around it how tall this page is, so
// that its embed.js can fit the iframe to it. Only a height is ever sent, and only to the
// sites allowed to frame the widget (listed by the server in data-embed-parents).
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var allowed = (document.documentElement.getAttribute("data-embed-parents") || "")
    .split(" ").filter(Boolean);
  // Chromium and Safari name the parent's origin; elsewhere try each allowed one (the
  // browser drops a message whose target origin is not the parent's).
  var ancestors = window.location.ancestorOrigins;
  var targets = ancestors && ancestors.length
    ? allowed.filter(function (origin) { return origin === ancestors[0]; })
    : allowed;
  var sent = 0;

  function height() {
    return Math.ceil(document.documentElement.getBoundingClientRect().height);
  }

  function send(always) {
    var h = height();
    if (!always && h === sent) { return; }
    sent = h;
    targets.forEach(function (origin) {
      window.parent.postMessage({ heelcheck: "height", height: h }, origin);
    });
  }

  // The parent's script may load after this page: it then asks for the height.
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || targets.indexOf(event.origin) < 0) { return; }
    if (event.data && event.data.heelcheck === "measure") { send(true); }
  });
  window.addEventListener("load", function () { send(true); });
  window.addEventListener("resize", function () { send(false); });
  if (window.ResizeObserver) {
    new ResizeObserver(function () { send(false); }).observe(document.documentElement);
  }
  send(true);
})();
