// Token: the agencies' tokens as their PCs last saw them (docs/console-api.md, "Tokens"), the
// locked ones and the ones plugged in or not found by the filters, and exported as filtered
// (page_exports.js). What an agency wrote (a token's label) is put on the page as text.
"use strict";

page("tokens", {
  path: (form) => listCall("/api/v1/tokens", form, ["agency", "pin_state", "present"]),
  row(tr, k) {
    tr.className = k.pin_state;
    cell(tr, k.label);
    cell(tr, k.serial);
    cell(tr, k.agency + (k.last_host ? " · " + k.last_host : ""));
    cell(tr, label("pin.", k.pin_state));
    cell(tr, t(k.present ? "ui.present_yes" : "ui.present_no"));
    cell(tr, k.cert_count, "number");
    cell(tr, moment(k.last_seen));
  },
});
