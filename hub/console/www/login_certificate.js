// Logging in with the staff member's own public-service certificate (docs/console-api.md,
// POST /login/certificate): the browser presents the certificate of the token during the TLS
// handshake; the hub answers with a session, or says why not (no certificate presented, one
// bound to no account, a disabled account). Uses call() and signedIn() of console.js.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  $("#certificate-login").addEventListener("click", async () => {
    const form = $("#login");
    const { status, data } = await call("POST", "/login/certificate", {});
    $(".error", form).textContent = status === 200 ? "" : (data.message || String(status));
    if (status === 200) signedIn(data);
  });
});
