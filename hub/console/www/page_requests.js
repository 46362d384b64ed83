// Đề nghị: the province's request inbox, and one request's page (#request/ID) with its history,
// the steps the province takes on it and its official form as PDF. Holder names and reasons are
// what an agency wrote: text only.
"use strict";

// Who the request is for: the hub's answer (the name filed, or the certificate's holder).
const holderOf = (r) => r.holder || "";

page("requests", {
  path(form) {
    const query = new URLSearchParams({ limit: "50" });
    for (const name of ["state", "agency"]) {
      const value = form.elements[name].value.trim();
      if (value) query.set(name, value);
    }
    if (form.elements.overdue.checked) query.set("overdue", "true");
    return "/api/v1/requests?" + query;
  },
  row(tr, r) {
    if (r.overdue) tr.className = "overdue";
    const td = document.createElement("td");
    const link = document.createElement("a");
    link.href = "#request/" + encodeURIComponent(r.id);
    link.textContent = r.agency_name || r.agency;
    td.appendChild(link);
    tr.appendChild(td);
    cell(tr, holderOf(r));
    cell(tr, label("request.kind.", r.kind) + (r.form ? " · " + t("ui.form", r.form) : ""));
    cell(tr, label("request.state.", r.state));
    cell(tr, moment(r.received_at));
    cell(tr, day(r.due_date) + (r.overdue ? " · " + t("ui.overdue") : ""));
  },
});

// The steps a page offers, by the state each leads to.
const requestSteps = [
  ["in_progress", "ui.accept"],
  ["forwarded_to_provider", "ui.forward"],
  ["completed", "ui.complete"],
  ["rejected", "ui.reject"],
];

page("request", {
  async open(section, [id]) {
    const facts = $(".facts", section);
    const history = $("tbody", section);
    const message = $(".error", section);
    facts.replaceChildren();
    history.replaceChildren();
    message.textContent = "";
    const path = "/api/v1/requests/" + encodeURIComponent(id || "");
    const { status, data } = await call("GET", path);
    if (status !== 200) {
      message.textContent = data.message || String(status);
      return;
    }
    $("h2", section).textContent = t("ui.requests") + " · " + (data.agency_name || data.agency);
    const fact = (name, value) => {
      const term = document.createElement("dt");
      term.textContent = name;
      const text = document.createElement("dd");
      text.textContent = value === null || value === undefined ? "" : String(value);
      facts.append(term, text);
    };
    fact(t("ui.agency"), data.agency + " · " + (data.agency_name || ""));
    fact(t("ui.holder"), holderOf(data));
    fact(t("ui.kind"), label("request.kind.", data.kind) + " · " + t("ui.form", data.form));
    fact(t("ui.state"), label("request.state.", data.state) + (data.reason ? " · " + data.reason : ""));
    fact(t("ui.received"), moment(data.received_at));
    fact(t("ui.due"), day(data.due_date) + (data.overdue ? " · " + t("ui.overdue") : ""));
    for (const e of data.history || []) {
      const tr = document.createElement("tr");
      cell(tr, moment(e.at));
      cell(tr, label("request.state.", e.event));
      cell(tr, e.by);
      cell(tr, [e.reason, e.reference].filter(Boolean).join(" · "));
      history.appendChild(tr);
    }
    $(".print", section).href = path + "/form.pdf?lang=" + lang;
    const steps = $(".steps", section);
    steps.replaceChildren();
    for (const [to, words] of requestSteps) {
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.to = to;
      button.textContent = t(words);
      button.addEventListener("click", async () => {
        const body = { to };
        if (to === "rejected") {
          const reason = prompt(t("ui.reason_needed"));
          if (!reason) return;
          body.reason = reason;
        }
        const moved = await call("POST", path + "/steps", body);
        if (moved.status === 200) this.open(section, [id]);
        else message.textContent = moved.data.message || String(moved.status);
      });
      steps.appendChild(button);
    }
  },
});
