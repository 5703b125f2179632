// heelcheck: small enhancements only; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    // Send a question form once: a second tap while the first is on its way does nothing.
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent) { event.preventDefault(); return; }
        form.dataset.sent = "1";
      });
    });
    // "None of these" is ticked alone: ticking it clears the other boxes, and ticking
    // another box clears it.  The server refuses the mix anyway; this only saves a trip.
    var exclusive = function (changed) {
      var form = changed.form;
      if (!form || !changed.checked) { return; }
      form.querySelectorAll('input[type="checkbox"][name="answer"]').forEach(function (box) {
        if (box !== changed && (changed.dataset.exclusive || box.dataset.exclusive)) {
          box.checked = false;
        }
      });
    };
    document.querySelectorAll('input[type="checkbox"][name="answer"]').forEach(function (box) {
      box.addEventListener("change", function () { exclusive(box); });
    });
    // The foot pictures toggle the labelled checkboxes, which stay the real input.
    var map = document.querySelector(".foot-map");
    if (map) {
      var boxes = document.querySelectorAll("input[data-part]");
      var sync = function () {
        boxes.forEach(function (box) {
          map.querySelectorAll('[data-part="' + box.value + '"]').forEach(function (part) {
            part.classList.toggle("on", box.checked);
          });
        });
      };
      map.addEventListener("click", function (event) {
        var part = event.target.closest("[data-part]");
        if (!part) { return; }
        var box = document.querySelector('input[data-part="' + part.dataset.part + '"]');
        if (box) { box.checked = !box.checked; exclusive(box); sync(); }
      });
      boxes.forEach(function (box) { box.addEventListener("change", sync); });
      sync();
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
