/* Copy buttons of the "Cite this document" box.
   One listener on the document (event delegation), so it keeps working when Material's
   instant navigation swaps the page content. A <button> is reached with Tab and pressed
   with Enter or Space like any button; the result is announced in the box's status line. */
(function () {
  "use strict";

  function announce(button, message) {
    var box = button.closest(".edition-cite");
    var status = box && box.querySelector(".edition-cite-status");
    if (status) {
      status.textContent = message;
    }
  }

  function copyBySelection(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    return done;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-edition-copy]") : null;
    if (!button) {
      return;
    }
    var node = document.getElementById(button.getAttribute("data-edition-copy"));
    if (!node) {
      return;
    }
    var text = node.textContent.replace(/\s+/g, " ").trim();
    var label = button.textContent.replace(/^Copy\s*/, "").trim();
    var copied = "Copied " + label + ".";
    var failed = "Could not copy: the citation is selected; press Ctrl+C (or \u2318C) to copy it.";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        announce(button, copied);
      }, function () {
        announce(button, copyBySelection(node) ? copied : failed);
      });
    } else {
      announce(button, copyBySelection(node) ? copied : failed);
    }
  });
})();
