// The ticket page's canned replies: the search narrows the list by title, and "Insert"
// puts the chosen text (already in the requester's language) into the message box.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-canned-replies]");
  const message = document.querySelector(".ticket-reply textarea[name=body]");
  if (!box || !message) { return; }
  const search = box.querySelector("[data-canned-search]");
  const select = box.querySelector("[data-canned-select]");
  const narrow = () => {
    const words = search.value.trim().toLowerCase();
    let first = null;
    for (const option of select.options) {
      if (!option.value) { continue; }
      const shown = option.textContent.toLowerCase().includes(words);
      option.hidden = !shown;
      option.disabled = !shown;
      if (shown && first === null) { first = option; }
    }
    const current = select.selectedOptions[0];
    if (first && (!current || !current.value || current.disabled)) { select.value = first.value; }
  };
  search.addEventListener("input", narrow);
  // Words typed before this script ran narrow the list too.
  if (search.value.trim()) { narrow(); }
  box.querySelector("[data-canned-insert]").addEventListener("click", () => {
    const option = select.selectedOptions[0];
    if (!option || !option.value) { return; }
    const text = option.dataset.text;
    const start = message.selectionStart ?? message.value.length;
    const end = message.selectionEnd ?? message.value.length;
    message.setRangeText(text, start, end, "end");
    message.focus();
  });
});
