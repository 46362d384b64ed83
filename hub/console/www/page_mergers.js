// Sáp nhập: an officer publishes a merger of units (as `cks-hub admin merger publish`); each unit's
// agents plan their batch from it, and the batches arrive in the request inbox.
"use strict";

page("mergers", {
  open(section) {
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
        out.textContent = t("ui.published", data.into ? data.into.name : "", data.agents);
        form.reset();
      } else {
        out.textContent = data.message || String(status);
      }
    });
  },
});
