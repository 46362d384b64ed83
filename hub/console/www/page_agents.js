// Máy trạm và mã đăng ký: the enrolled PCs (last contact, clock offset, version, backlog),
// revoking one after a confirmation, and the enrolment codes: issue one (shown once, large,
// with copy and print, and what the commune needs for `cksctl enroll`), list, revoke.
"use strict";

// A button that runs `action` on click.
function actionButton(label, action) {
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.addEventListener("click", action);
  return button;
}

function buttonCell(row, button) {
  const td = document.createElement("td");
  td.className = "admin";
  if (button) td.appendChild(button);
  row.appendChild(td);
}

// The answer's message where the page says what happened.
function told(section, status, data) {
  const out = $(".outcome", section);
  out.textContent = status === 200 ? "" : data.message || String(status);
}

async function drawAgents(section) {
  const body = $(".agents tbody", section);
  body.replaceChildren();
  const { status, data } = await call("GET", "/api/v1/agents");
  if (status !== 200) return told(section, status, data);
  for (const a of data.items) {
    const tr = document.createElement("tr");
    if (a.revoked) tr.className = "revoked";
    linkCell(tr, agencyLink(a.agency_code, a.agency_code + " " + a.agency_name));
    cell(tr, a.host + (a.revoked ? " (" + t("ui.revoked") + ")" : ""));
    cell(tr, a.last_contact ? moment(a.last_contact) : t("ui.never"));
    cell(tr, a.clock_offset_seconds, "number");
    cell(tr, a.agent_version);
    cell(tr, a.backlog, "number");
    buttonCell(tr, a.revoked ? null : actionButton(t("ui.revoke"), async () => {
      if (!confirm(t("ui.revoke_agent_confirm", a.host, a.agent_id, a.agency_name))) return;
      const answer = await call("POST", "/api/v1/agents/" + encodeURIComponent(a.agent_id) + "/revoke");
      told(section, answer.status, answer.data);
      drawAgents(section);
    }));
    body.appendChild(tr);
  }
}

async function drawCodes(section) {
  const body = $(".codes tbody", section);
  body.replaceChildren();
  if (document.body.dataset.role !== "admin") return;
  const { status, data } = await call("GET", "/api/v1/codes");
  if (status !== 200) return told(section, status, data);
  for (const c of data.items) {
    const tr = document.createElement("tr");
    cell(tr, c.id);
    linkCell(tr, agencyLink(c.agency, c.agency + " " + c.agency_name));
    cell(tr, moment(c.created_at));
    cell(tr, moment(c.expires_at));
    cell(tr, t("ui.code_state_" + c.state) + (c.used_by ? " · " + c.used_by : ""));
    buttonCell(tr, c.state !== "active" ? null : actionButton(t("ui.revoke"), async () => {
      if (!confirm(t("ui.revoke_code_confirm", c.id, c.agency_name))) return;
      const answer = await call("POST", "/api/v1/codes/" + encodeURIComponent(c.id) + "/revoke");
      told(section, answer.status, answer.data);
      drawCodes(section);
    }));
    body.appendChild(tr);
  }
}

// The new code, once: large, with copy and print, the hub's URL, its CA's fingerprint and file.
function showCode(section, issued) {
  const card = $(".issued", section);
  card.hidden = false;
  $(".issued-for", card).textContent = t("ui.code_once", issued.agency.name, moment(issued.expires_at));
  $(".code-text", card).textContent = issued.code;
  $(".hub-url", card).textContent = issued.hub_url;
  $(".ca-fingerprint", card).textContent = (issued.hub_ca_fingerprint.match(/../g) || []).join(":");
  $(".enroll-line", card).textContent =
    "cksctl enroll --hub " + issued.hub_url + " --code " + issued.code + " --hub-ca hub-ca.pem";
  const file = $(".ca-file", card);
  if (file.href.startsWith("blob:")) URL.revokeObjectURL(file.href);
  file.href = URL.createObjectURL(new Blob([issued.hub_ca_pem], { type: "application/x-pem-file" }));
}

$("#agents .issue").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const section = $("#agents");
  const body = { agency: form.elements.agency.value.trim(), name: form.elements.name.value.trim(),
    rename: form.elements.rename.checked };
  for (const name of ["type", "ttl"]) {
    const value = form.elements[name].value.trim();
    if (value) body[name] = value;
  }
  const { status, data } = await call("POST", "/api/v1/codes", body);
  told(section, status, data);
  if (status !== 200) return;
  form.reset();
  showCode(section, data);
  drawCodes(section);
});

$("#agents .copy").addEventListener("click", async () => {
  const card = $("#agents .issued");
  await navigator.clipboard.writeText($(".code-text", card).textContent).catch(() => {});
  $(".copied", card).textContent = t("ui.copied");
});

$("#agents .print").addEventListener("click", () => {
  // The print style shows the code's card alone.
  document.body.classList.add("printing-code");
  window.print();
  document.body.classList.remove("printing-code");
});

page("agents", {
  async open(section) {
    $(".issued", section).hidden = true;
    $(".code-text", section).textContent = "";
    $(".outcome", section).textContent = "";
    await drawAgents(section);
    await drawCodes(section);
  },
});
