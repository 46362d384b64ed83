// Người dùng (admin only): the staff accounts and their roles; add one, disable one, or reset
// its password. A new one-time password is shown once, to hand to its holder.
"use strict";

function showPassword(section, data) {
  const card = $(".issued", section);
  card.hidden = false;
  $(".issued-for", card).textContent = t("ui.one_time_password", data.account.name);
  $(".code-text", card).textContent = data.password;
}

async function drawUsers(section) {
  const body = $("tbody", section);
  body.replaceChildren();
  const { status, data } = await call("GET", "/api/v1/users");
  if (status !== 200) return told(section, status, data);
  for (const u of data.items) {
    const tr = document.createElement("tr");
    if (u.state !== "active") tr.className = "revoked";
    cell(tr, u.name);
    cell(tr, t("ui.role_" + u.role));
    cell(tr, t("ui.user_state_" + u.state));
    cell(tr, u.last_login ? moment(u.last_login) : t("ui.never"));
    const td = document.createElement("td");
    const act = (label, question, path, shows) => actionButton(label, async () => {
      if (!confirm(question)) return;
      const answer = await call("POST", "/api/v1/users/" + encodeURIComponent(u.name) + path);
      told(section, answer.status, answer.data);
      if (answer.status === 200 && shows) showPassword(section, answer.data);
      drawUsers(section);
    });
    if (u.state !== "disabled") {
      td.appendChild(act(t("ui.disable"), t("ui.disable_confirm", u.name), "/disable", false));
    }
    td.appendChild(act(t("ui.reset"), t("ui.reset_confirm", u.name), "/reset", true));
    tr.appendChild(td);
    body.appendChild(tr);
  }
}

$("#users .add").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const section = $("#users");
  const { status, data } = await call("POST", "/api/v1/users", {
    name: form.elements.name.value.trim(), role: form.elements.role.value,
  });
  told(section, status, data);
  if (status !== 200) return;
  form.reset();
  showPassword(section, data);
  drawUsers(section);
});

page("users", {
  async open(section) {
    $(".issued", section).hidden = true;
    $(".code-text", section).textContent = "";
    $(".outcome", section).textContent = "";
    await drawUsers(section);
  },
});
