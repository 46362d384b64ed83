// Đơn vị: the province's agency directory (search, import from the CSV or Excel file the
// province already has) and one agency's page (#agency/CODE) with its PCs, tokens, certificates, alerts,
// requests and reports. Everything an agency wrote is put on the page as text.
"use strict";

// A link to an agency's page, its code as text.
function agencyLink(code, label) {
  const a = document.createElement("a");
  a.href = "#agency/" + encodeURIComponent(code);
  a.textContent = label || code;
  return a;
}

function linkCell(row, link) {
  const td = document.createElement("td");
  td.appendChild(link);
  row.appendChild(td);
}

page("agencies", {
  path(form) {
    const query = new URLSearchParams({ limit: "50" });
    const search = form.elements.search.value.trim();
    if (search) query.set("search", search);
    return "/api/v1/agencies?" + query;
  },
  row(tr, a) {
    linkCell(tr, agencyLink(a.code));
    cell(tr, a.name);
    cell(tr, t("ui.type_" + a.type));
    cell(tr, a.parent);
  },
});

// The import form: the file is read in the browser and sent as text; all rows or none.
$("#agencies .import").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const out = $(".result", form);
  const file = form.elements.file.files[0];
  if (!file) return;
  // An Excel workbook goes as base64, a CSV file as its text.
  let body;
  if (/\.xlsx$/i.test(file.name)) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    body = { xlsx: btoa(binary), file: file.name };
  } else {
    body = { csv: await file.text(), file: file.name };
  }
  const { status, data } = await call("POST", "/api/v1/agencies/import", body);
  out.replaceChildren();
  out.classList.toggle("error", status !== 200);
  const say = (words) => {
    const p = document.createElement("p");
    p.textContent = words;
    out.appendChild(p);
  };
  if (status === 200) {
    say(t("ui.imported", data.rows, data.added, data.renamed, data.updated, data.unchanged));
    form.reset();
    load("agencies", false);
    return;
  }
  say(data.message || String(status));
  for (const problem of data.problems || []) say(t("ui.line", problem.line, problem.message));
});

// A table of `items`, one row of `columns(item)` each, under `heading`; `empty` when none.
function agencyTable(parts, heading, items, columns, empty) {
  const h3 = document.createElement("h3");
  h3.textContent = heading + " (" + items.length + ")";
  parts.appendChild(h3);
  if (items.length === 0) {
    const p = document.createElement("p");
    p.className = "empty";
    p.textContent = empty || t("ui.none");
    parts.appendChild(p);
    return;
  }
  const table = document.createElement("table");
  const body = document.createElement("tbody");
  for (const item of items) {
    const tr = document.createElement("tr");
    for (const value of columns(item)) cell(tr, value);
    body.appendChild(tr);
  }
  table.appendChild(body);
  parts.appendChild(table);
}

page("agency", {
  async open(section, [code]) {
    const parts = $(".parts", section);
    parts.replaceChildren();
    const { status, data } = await call("GET", "/api/v1/agencies/" + encodeURIComponent(code || ""));
    if (status !== 200) {
      $("h2", section).textContent = data.message || String(status);
      return;
    }
    $("h2", section).textContent = data.code + " – " + data.name;
    const facts = document.createElement("p");
    facts.textContent = t("ui.type") + ": " + t("ui.type_" + data.type) +
      (data.parent ? " · " + t("ui.parent") + ": " + data.parent : "");
    parts.appendChild(facts);
    // The PCs come with the agency's page; the rest through the lists it links to.
    agencyTable(parts, t("ui.agents"), data.agents, (a) => [a.host, a.agent_id,
      a.revoked ? t("ui.revoked") : "", a.last_contact ? moment(a.last_contact) : t("ui.never"),
      a.agent_version, a.backlog]);
    const l = data.links;
    const lists = [
      [t("ui.tokens"), l.tokens + "&limit=100", (k) => [k.label, k.serial, k.model, k.last_host]],
      [t("ui.certificates"), l.certificates + "&limit=100",
        (c) => [c.common_name, c.serial, day(c.not_after), c.days_left, c.status]],
      [t("ui.alerts"), l.alerts + "&limit=100", (a) => [a.severity, a.message, moment(a.raised_at)]],
      [t("ui.requests"), l.requests + "&limit=100",
        (r) => [r.kind, r.state, moment(r.received_at), r.due_date]],
      // The province's report status lists every agency: this one's line only.
      [t("ui.reports"), l.reports, (r) => [r.year, r.state, r.version, moment(r.as_of)],
        (r) => r.agency === data.code],
    ];
    for (const [heading, path, columns, mine] of lists) {
      const { status: got, data: list } = await call("GET", path);
      const items = got === 200 ? (list.items || []).filter(mine || (() => true)) : [];
      agencyTable(parts, heading, items, columns, got === 200 ? "" : list.message || String(got));
    }
  },
});
