// Exports of a list (certificates, tokens): every row its filters match, as CSV (UTF-8 with a
// BOM, for Excel) or XLSX, downloaded from the API. A link <a class="export" data-list="…"
// data-format="csv|xlsx"> takes its filters from its section's form when clicked.
"use strict";

document.addEventListener("click", (event) => {
  const link = event.target.closest("a.export");
  if (!link) return;
  const query = new URLSearchParams({ format: link.dataset.format, lang });
  const form = $(".filters", link.closest("section"));
  for (const name of (link.dataset.filters || "").split(" ").filter(Boolean)) {
    const value = form && form.elements[name] ? form.elements[name].value.trim() : "";
    if (value) query.set(name, value);
  }
  link.href = "/api/v1/" + link.dataset.list + "?" + query;
});
