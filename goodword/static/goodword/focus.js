// After htmx swaps a fragment in, keep keyboard and screen-reader users in place.
// An outerHTML swap removes the button that had focus, so focus falls back to <body>;
// move it to the first invalid field, else the fragment's live status message, else its heading.
// Loaded as a file because the content security policy forbids inline scripts.
(function () {
  "use strict";

  // The policy allows no inline styles. htmx's indicator <style> is off (see the htmx-config meta);
  // also never settle "style" attributes, which would be applied inline during a swap.
  if (window.htmx) {
    htmx.config.includeIndicatorStyles = false;
    htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  function focusLost() {
    const active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  function focusQuietly(element) {
    if (!element.hasAttribute("tabindex") && !element.matches("a[href], button, input, select, textarea")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus({ preventScroll: false });
  }

  function swappedRoot(detail) {
    let root = detail.target || detail.elt;
    if (root && !root.isConnected && root.id) root = document.getElementById(root.id);
    if (root && root.isConnected) return root;
    return detail.elt && detail.elt.isConnected ? detail.elt : null;
  }

  // Only a swap the user asked for may move focus: a section that loads itself
  // after the page ("load") or refreshes after a change ("ledger-changed") never
  // does, or the page would jump to it.
  const USER_EVENTS = ["submit", "click", "change", "input", "keyup", "toggle"];

  function askedByTheUser(detail) {
    const trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
    return Boolean(trigger && USER_EVENTS.includes(trigger.type));
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!askedByTheUser(event.detail)) return;
    if (!focusLost()) return;  // e.g. a polling status update while the user works elsewhere
    const root = swappedRoot(event.detail);
    if (!root) return;
    const invalid = root.querySelector('[aria-invalid="true"]');
    if (invalid) { invalid.focus(); return; }
    const status = root.querySelector('[role="status"], [role="alert"]');
    if (status && status.textContent.trim()) { focusQuietly(status); return; }
    const heading = root.matches("h1, h2, h3") ? root : root.querySelector("h1, h2, h3");
    focusQuietly(heading || root);
  });
})();
