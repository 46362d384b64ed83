// The dashboard (docs/console-api.md, "Dashboard"): the figures that need the province's
// attention, each a link to the list behind it. A figure's link is the console API call of that
// list: its page is opened with the call's filters set in the page's filter form.
"use strict";

page("dashboard", {
  async open(section) {
    const grid = $(".figures", section);
    const asOf = $(".as-of", section);
    grid.replaceChildren();
    asOf.textContent = "";
    const { status, data } = await call("GET", "/api/v1/dashboard");
    if (status !== 200) {
      asOf.textContent = data.message || String(status);
      return;
    }
    asOf.textContent = data.as_of.oldest
      ? t("ui.data_as_of", moment(data.as_of.oldest), moment(data.as_of.newest)) : "";
    const year = data.reports.year;
    // [its name in the page (data-figure), its label, the figure]
    const figures = [
      ["agencies_with_agent", t("ui.agencies_with_agent"), data.agencies.with_agent],
      ["agencies_without_agent", t("ui.agencies_without_agent"), data.agencies.without_agent],
      ["stale_agents", t("ui.stale_agents", data.stale_agents.days), data.stale_agents],
      ["expiring_30", t("ui.expiring_30"), data.certificates.expiring_30],
      ["expiring_90", t("ui.expiring_90"), data.certificates.expiring_90],
      ["expired_on_token", t("ui.expired_on_token"), data.certificates.expired_on_token],
      ["locked_tokens", t("ui.locked_tokens"), data.tokens.locked],
      ["open_requests", t("ui.open_requests"), data.requests.open],
      ["overdue_requests", t("ui.overdue_requests"), data.requests.overdue],
      ["reports_submitted", t("ui.reports_submitted", year), data.reports.submitted],
      ["reports_draft", t("ui.reports_draft", year), data.reports.draft],
      ["reports_missing", t("ui.reports_missing", year), data.reports.missing],
    ];
    for (const [key, label, figure] of figures) {
      const list = figure.link && listPage(figure.link);
      const box = document.createElement(list ? "a" : "div");
      box.className = "figure";
      box.dataset.figure = key;
      const count = document.createElement("strong");
      count.textContent = String(figure.count);
      const name = document.createElement("span");
      name.textContent = label;
      box.append(count, name);
      if (list) {
        box.href = "#" + list;
        box.addEventListener("click", (event) => {
          event.preventDefault();
          openList(figure.link);
        });
      }
      grid.appendChild(box);
    }
  },
});

// The console page that shows API call `link` ("/api/v1/certificates?days=30"); "" when the
// console has no page for it (the figure is then shown without a link).
function listPage(link) {
  const name = new URL(link, location.origin).pathname.replace(/^\/api\/v1\//, "").split("/")[0];
  return views[name] && $("#" + name) ? name : "";
}

// Opens the page of `link`, its filters set from the call's query where the page's filter form
// has them.
function openList(link) {
  const url = new URL(link, location.origin);
  const name = listPage(link);
  if (!name) return;
  const form = $(".filters", $("#" + name));
  if (form) {
    form.reset();
    for (const [key, value] of url.searchParams) {
      const field = form.elements[key];
      if (!field) continue;
      if (field.type === "checkbox") field.checked = value === "true";
      else field.value = value;
    }
  }
  if (location.hash === "#" + name) route();
  else location.hash = "#" + name;
}
