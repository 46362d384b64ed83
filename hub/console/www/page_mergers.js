// Sáp nhập: an officer publishes a merger of units (as `cks-hub admin merger publish`); each unit's
// agents plan their batch from it, and the page shows, for every merger published, each unit's
// batch as it arrived (as `cks-hub admin merger list`): its requests by kind and state, or that
// none arrived yet.
"use strict";

// The merger's units: merged or new, and the batch its agency filed.
function mergerCard(m) {
  const card = document.createElement("article");
  card.className = "merger card";
  card.dataset.id = m.merger.id;
  const h3 = document.createElement("h3");
  h3.textContent = t("ui.merger_heading", m.merger.into.name, m.merger.into.code, m.units_arrived,
    m.units.length);
  const by = document.createElement("p");
  by.textContent = t("ui.merger_published_by", moment(m.published_at), m.published_by) +
    (m.merger.decision ? " · " + m.merger.decision : "");
  const table = document.createElement("table");
  const head = document.createElement("tr");
  for (const key of ["ui.code", "ui.agency_name", "ui.role", "ui.batch"]) {
    const th = document.createElement("th");
    th.textContent = t(key);
    head.appendChild(th);
  }
  const thead = document.createElement("thead");
  thead.appendChild(head);
  const body = document.createElement("tbody");
  for (const unit of m.units) {
    const tr = document.createElement("tr");
    tr.className = unit.batch ? "arrived" : "waiting";
    tr.dataset.unit = unit.code;
    cell(tr, unit.code);
    cell(tr, unit.name);
    cell(tr, t(unit.new ? "ui.new_unit" : unit.merged ? "ui.merged_unit" : "ui.other_unit"));
    if (!unit.batch) {
      cell(tr, t("ui.batch_waiting"));
    } else {
      const counts = unit.batch.counts.map((c) =>
        c.count + " " + label("request.kind.", c.kind) + " (" + label("request.state.", c.state) + ")");
      cell(tr, t("ui.batch_arrived", unit.batch.requests, moment(unit.batch.arrived_at)) +
        (counts.length ? ": " + counts.join("; ") : ""));
    }
    body.appendChild(tr);
  }
  table.append(thead, body);
  card.append(h3, by, table);
  return card;
}

async function showMergers(section) {
  const list = $(".mergers", section);
  const { status, data } = await call("GET", "/api/v1/mergers");
  const empty = $(".empty", section);
  list.replaceChildren();
  if (status !== 200) {
    empty.textContent = data.message || String(status);
    empty.hidden = false;
    return;
  }
  for (const m of data.items) list.appendChild(mergerCard(m));
  empty.textContent = t("ui.none");
  empty.hidden = data.items.length > 0;
}

page("mergers", {
  open(section) {
    showMergers(section);
    const form = $("form", section);
    if (form.dataset.ready) return;
    form.dataset.ready = "1";
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const from = form.elements.from.value.split(",").map((part) => part.trim()).filter(Boolean)
        .map((part) => {
          const [code, ...name] = part.split("=");
          return { code: code.trim(), name: name.join("=").trim() };
        });
      const { status, data } = await call("POST", "/api/v1/mergers", {
        from,
        into: { code: form.elements.into_code.value.trim(), name: form.elements.into_name.value.trim() },
        keep: form.elements.keep.value.trim(),
        decision: form.elements.decision.value.trim(),
      });
      const out = $(".error", section);
      if (status === 201) {
        out.textContent = t("ui.published", data.merger.into.name, data.agents);
        form.reset();
        showMergers(section);
      } else {
        out.textContent = data.message || String(status);
      }
    });
  },
});
