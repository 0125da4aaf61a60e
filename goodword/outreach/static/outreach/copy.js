// Copy-to-clipboard for drafts: buttons name the element to copy in data-copy-target.
// Loaded as a file because the content security policy forbids inline scripts.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".copy-button");
  if (!button) return;
  const target = document.getElementById(button.dataset.copyTarget);
  if (!target) return;
  const text = "value" in target && target.tagName !== "PRE" ? target.value : target.textContent;
  navigator.clipboard.writeText(text).then(
    () => { button.textContent = "Copied"; },
    () => { button.textContent = "Copy failed: select the text and copy it"; },
  );
});
