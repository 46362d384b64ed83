// The province's console in the browser: logs in, then shows the lists of the console's API
// (docs/console-api.md). Everything an agency wrote is put on the page as text (textContent),
// never as markup. Words come from the hub's catalogue (/messages), in the page's language.
"use strict";

const lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "vi";
let texts = {};
let csrf = "";

const $ = (selector, root = document) => root.querySelector(selector);
const t = (key, ...args) =>
  (texts["console." + key] || key).replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ""));
// The label of a domain value by its wire name ("certstatus.", "expiring"); the name itself
// when this page does not know it (a newer hub).
const label = (prefix, name) => texts[prefix + name] || name || "";

async function call(method, path, body) {
  const headers = { "Accept": "application/json" };
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    headers["X-CSRF-Token"] = csrf;
  }
  const url = path + (path.includes("?") ? "&" : "?") + "lang=" + lang;
  const response = await fetch(url, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  // The session ended (idle, its lifetime, the account disabled): back to the login, saying so.
  if (response.status === 401 && path.startsWith("/api/")) showLogin(data.message);
  return { status: response.status, data };
}

function show(id) {
  for (const part of document.querySelectorAll("#login, #password, .view")) {
    part.hidden = part.id !== id;
  }
  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("current", link.getAttribute("href") === "#" + id);
  }
}

function showLogin(why) {
  csrf = "";
  $("#login .error").textContent = why || "";
  $("#nav").hidden = true;
  $("#logout").hidden = true;
  $("#who").textContent = "";
  show("login");
}

function signedIn(session) {
  csrf = session.csrf_token;
  // Admin-only parts (class "admin") show for admins only; the server is what enforces it.
  document.body.dataset.role = session.role;
  $("#who").textContent = session.name + " (" + label("user.role.", session.role) + ")";
  $("#logout").hidden = false;
  if (session.must_change_password) {
    $("#nav").hidden = true;
    show("password");
    return;
  }
  $("#nav").hidden = false;
  route();
}

function cell(row, value, className) {
  const td = document.createElement("td");
  td.textContent = value === null || value === undefined ? "" : String(value);
  if (className) td.className = className;
  row.appendChild(td);
}

// Times as the province reads them everywhere else (cksctl, the forms): Vietnam time,
// "dd/mm/yyyy" and "dd/mm/yyyy HH:MM", whatever the PC's own zone and locale.
const vietnamParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});
function vietnamTime(iso) {
  const parts = {};
  for (const p of vietnamParts.formatToParts(new Date(iso))) parts[p.type] = p.value;
  return parts;
}
// A date alone ("2026-12-31", a due date) is a calendar day, shown as it is.
const day = (iso) => {
  if (!iso) return "";
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso.split("-").reverse().join("/");
  const p = vietnamTime(iso);
  return p.day + "/" + p.month + "/" + p.year;
};
const moment = (iso) => {
  if (!iso) return "";
  const p = vietnamTime(iso);
  return p.day + "/" + p.month + "/" + p.year + " " + p.hour + ":" + p.minute;
};

// The list call `path` with the page size and each filter of `names` set in the page's form.
function listCall(path, form, names) {
  const query = new URLSearchParams({ limit: "50" });
  for (const name of names) {
    const value = form.elements[name].value.trim();
    if (value) query.set(name, value);
  }
  return path + "?" + query;
}

// The console's pages, by the id of their <section>. A list page has `path(filters)` (the API
// call with its filters), `row(tr, item)` and optionally `before(section)`; any page may instead
// have `open(section, params)` and draw itself. Pages of their own file (page_*.js) add
// themselves with page(name, view), so that each page can be read, and changed, alone.
const views = {
  certificates: {
    path: (form) =>
      listCall("/api/v1/certificates", form, ["search", "agency", "days", "kind", "status", "sort"]),
    row(tr, c) {
      tr.className = c.status;
      cell(tr, c.common_name);
      cell(tr, c.agency + (c.host ? " · " + c.host : ""));
      cell(tr, c.serial);
      cell(tr, day(c.not_after));
      cell(tr, c.days_left, "number");
      cell(tr, label("certstatus.", c.status));
    },
  },
  alerts: {
    path: (form) => listCall("/api/v1/alerts", form, ["severity", "agency"]),
    row(tr, a) {
      tr.className = a.severity;
      cell(tr, label("severity.", a.severity));
      // To the agency's page (page_agencies.js).
      linkCell(tr, agencyLink(a.agency, a.agency_name || a.agency));
      cell(tr, a.message);
      cell(tr, moment(a.raised_at));
    },
  },
  audit: {
    path: () => "/api/v1/audit?limit=50",
    row(tr, e) {
      cell(tr, moment(e.at));
      cell(tr, e.actor);
      cell(tr, e.action);
      cell(tr, e.agency_code);
      cell(tr, e.target);
      cell(tr, e.detail);
    },
    async before(section) {
      const { status, data } = await call("GET", "/api/v1/audit/verify");
      const chain = $(".chain", section);
      chain.classList.toggle("broken", status === 200 && !data.intact);
      chain.textContent = status !== 200 ? (data.message || "")
        : data.intact ? t("ui.verified", data.entries) : t("ui.broken", data.first_broken);
    },
  },
};

function page(name, view) {
  views[name] = view;
}

async function load(name, append) {
  const section = $("#" + name);
  const view = views[name];
  const body = $("tbody", section);
  const more = $(".more", section);
  if (!append) {
    body.replaceChildren();
    section.dataset.next = "";
    if (view.before) await view.before(section);
  }
  let path = view.path($(".filters", section));
  if (append && section.dataset.next) path += "&cursor=" + encodeURIComponent(section.dataset.next);
  const { status, data } = await call("GET", path);
  if (status !== 200) {
    $(".empty", section).hidden = false;
    $(".empty", section).textContent = data.message || String(status);
    return;
  }
  for (const item of data.items) {
    const tr = document.createElement("tr");
    view.row(tr, item);
    body.appendChild(tr);
  }
  $(".empty", section).textContent = t("ui.none");
  $(".empty", section).hidden = body.children.length > 0;
  section.dataset.next = data.next_cursor || "";
  more.hidden = !data.next_cursor;
}

// "#name" or "#name/param/…": the page and what it shows (e.g. #request/ID).
function route() {
  if (!csrf) return;
  const [name, ...params] = (location.hash.slice(1) || "dashboard").split("/").map(decodeURIComponent);
  const view = views[name];
  if (!view) return;
  show(name);
  if (view.open) view.open($("#" + name), params);
  else load(name, false);
}

async function start() {
  const catalogue = await fetch("/messages?lang=" + lang).then((r) => r.json()).catch(() => ({}));
  texts = catalogue;
  // A filter's option that names a domain value (data-label="pin.locked") reads as its label.
  for (const option of document.querySelectorAll("option[data-label]")) {
    option.textContent = texts[option.dataset.label] || option.textContent;
  }
  $("#login").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const { status, data } = await call("POST", "/login", {
      name: form.elements.name.value.trim(), password: form.elements.password.value,
    });
    form.elements.password.value = "";
    $(".error", form).textContent = status === 200 ? "" : (data.message || String(status));
    if (status === 200) signedIn(data);
  });
  $("#password").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const { status, data } = await call("POST", "/api/v1/password", {
      current: form.elements.current.value, next: form.elements.next.value,
    });
    form.reset();
    $(".error", form).textContent = status === 200 ? t("ui.saved") : (data.message || String(status));
    if (status === 200) signedIn(data);
  });
  $("#logout").addEventListener("click", async () => {
    await call("POST", "/logout");
    showLogin();
  });
  for (const [name] of Object.entries(views)) {
    const section = $("#" + name);
    const more = $(".more", section);
    if (more) more.addEventListener("click", () => load(name, true));
    const filters = $(".filters", section);
    if (filters) {
      filters.addEventListener("submit", (event) => {
        event.preventDefault();
        load(name, false);
      });
    }
  }
  window.addEventListener("hashchange", route);
  const { status, data } = await call("GET", "/api/v1/session");
  if (status === 200) signedIn(data); else showLogin();
}

// After every page's file has added its page (deferred scripts run in order, before this event).
document.addEventListener("DOMContentLoaded", start);
