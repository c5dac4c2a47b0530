/* Kelurahan finder of the home page (umkm/site_story.py: finder): as one types, the list of every
   kelurahan and kecamatan shows only the matching ones (names compared without case, accents, spaces
   or dots, with their other spellings); Enter opens the first match. Without JavaScript the full list
   is there to open. Small, local, no request: it works from any folder the site is served under. */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
  }
  function setUp(box) {
    var input = box.querySelector("input");
    var list = box.querySelector("ul");
    var details = box.querySelector("details");
    var status = box.querySelector("[role=status]");
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    function update() {
      var query = fold(input.value);
      var shown = 0;
      items.forEach(function (item) {
        var match = !query || item.getAttribute("data-cari").split(" ").some(function (key) {
          return key.indexOf(query) !== -1;
        });
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (query) {
        details.open = true;
        status.textContent = shown ? shown + " " + box.getAttribute("data-kata-cocok") : box.getAttribute("data-kata-tidak");
      } else {
        status.textContent = "";
      }
    }
    input.addEventListener("input", update);
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") { return; }
      var first = items.filter(function (item) { return !item.hidden; })[0];
      if (first && fold(input.value)) {
        event.preventDefault();
        window.location.href = first.querySelector("a").href;
      }
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-umkm-cari]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
