// Báo cáo năm: each agency's yearly report (submitted, draft or missing, with version and as-of),
// one agency's report in full (#report/YEAR/CODE), the province's aggregate as PDF and Excel, the
// deadline, and the submission upward to the national hub. Remarks are what an agency wrote:
// text only.
"use strict";

const reportYear = (section) =>
  Number($("[name=year]", section).value) || new Date().getFullYear() - 1;

page("reports", {
  before(section) {
    const form = $(".filters", section);
    if (!form.elements.year.value) form.elements.year.value = String(reportYear(section));
    const year = reportYear(section);
    const base = "/api/v1/reports/" + year + "/province";
    $(".pdf", section).href = base + ".pdf?lang=" + lang;
    $(".xlsx", section).href = base + ".xlsx?lang=" + lang;
    const deadline = $(".deadline", section);
    if (!deadline.dataset.ready) {
      deadline.dataset.ready = "1";
      deadline.addEventListener("submit", async (event) => {
        event.preventDefault();
        const body = { deadline: deadline.elements.deadline.value };
        if (deadline.elements.remind_from.value) body.remind_from = deadline.elements.remind_from.value;
        const { status, data } = await call("POST", "/api/v1/reports/" + reportYear(section) + "/deadline", body);
        $(".error", deadline).textContent = status === 200 ? t("ui.saved") : (data.message || String(status));
      });
      $(".upward", section).addEventListener("click", async () => {
        const y = reportYear(section);
        const { status, data } = await call("POST", "/api/v1/reports/" + y + "/submit", {});
        $(".upward-result", section).textContent = status === 200
          ? t("ui.submitted_upward", y, data.version, data.url) : (data.message || String(status));
      });
    }
  },
  path: (form) => "/api/v1/reports/" + (Number(form.elements.year.value) || new Date().getFullYear() - 1),
  row(tr, a) {
    tr.className = a.state;
    cell(tr, a.agency + " · " + (a.agency_name || ""));
    cell(tr, t("ui." + a.state));
    cell(tr, a.version);
    cell(tr, moment(a.as_of || a.draft_saved_at));
    const td = document.createElement("td");
    if (a.state === "submitted") {
      const link = document.createElement("a");
      link.href = "#report/" + a.year + "/" + encodeURIComponent(a.agency);
      link.textContent = t("ui.open_report");
      td.appendChild(link);
    }
    tr.appendChild(td);
  },
});

page("report", {
  async open(section, [year, code]) {
    const body = $("pre", section);
    const remarks = $(".remarks", section);
    body.textContent = "";
    remarks.textContent = "";
    const { status, data } = await call("GET", "/api/v1/reports/" + encodeURIComponent(year) +
      "/agencies/" + encodeURIComponent(code || ""));
    if (status !== 200) {
      body.textContent = data.message || String(status);
      return;
    }
    $("h2", section).textContent = t("ui.reports") + " " + year + " · " + data.agency + " · " +
      (data.agency_name || "") + " · " + t("ui.version") + " " + (data.version ?? "");
    const remarked = (data.report && data.report.remarks) || {};
    remarks.textContent = [remarked.difficulties, remarked.proposals].filter(Boolean).join("\n\n");
    body.textContent = JSON.stringify(data.report, null, 2);
  },
});
