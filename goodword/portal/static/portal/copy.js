// Copy buttons on the reference portal. Without JavaScript the buttons stay
// hidden and the text stays selectable in its box.
(function () {
  "use strict";
  function copy(button) {
    var box = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!box) { return; }
    var done = function () { if (status) { status.textContent = "Copied."; } };
    var fallback = function () {
      box.focus();
      box.select();
      try { document.execCommand("copy"); done(); } catch (e) { if (status) { status.textContent = "Select the text and copy it."; } }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(box.value).then(done, fallback);
    } else {
      fallback();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var buttons = document.querySelectorAll(".copy-button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function (event) { copy(event.currentTarget); });
    }
  });
})();
