// The report page while a report is being made: ask its status every two seconds, move the
// progress bar, and show the download link when it is ready. Without JavaScript the page
// has a refresh link.
(function () {
  "use strict";
  var box = document.getElementById("report-progress");
  if (!box || !window.fetch) { return; }
  var bar = document.getElementById("report-progress-bar");
  var status = box.querySelector("[data-status]");
  var download = box.querySelector("[data-download]");
  var refresh = box.querySelector("[data-refresh]");
  if (refresh) { refresh.hidden = true; }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { if (refresh) { refresh.hidden = false; } return; }
        if (bar) { bar.value = data.progress; bar.textContent = data.progress + " %"; }
        if (status.textContent !== data.status_label) { status.textContent = data.status_label; }
        if (data.download) {
          download.hidden = false;
          if (bar) { bar.parentNode.hidden = true; }
          var hint = box.querySelector("[data-hint]");
          if (hint) { hint.hidden = true; }
        } else if (data.status === "queued" || data.status === "running") {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();  // failed: the page explains what to do
        }
      })
      .catch(function () { if (refresh) { refresh.hidden = false; } });
  }
  window.setTimeout(poll, 1000);
})();
