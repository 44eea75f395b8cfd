// Progressive enhancements only: every page works without JavaScript.
(function () {
  "use strict";

  // Word counts: the same rule as grants/wordcount.py – words are runs of characters
  // that are not white space (the same explicit list of white-space characters).
  var WORD = /[^\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+/g;
  function countWords(text) {
    var words = text.match(WORD);
    return words ? words.length : 0;
  }

  document.querySelectorAll("textarea[data-word-limit]").forEach(function (area) {
    var limit = parseInt(area.dataset.wordLimit, 10);
    var output = document.getElementById(area.id + "-count");
    if (!output) { return; }
    var template = output.dataset.template || "%(count)s / %(limit)s";
    function update() {
      var count = countWords(area.value);
      output.textContent = template.replace("%(count)s", count).replace("%(limit)s", limit);
      output.classList.toggle("over", count > limit);
    }
    area.addEventListener("input", update);
    update();
  });

  // Confirmation for dangerous actions (withdraw, bulk changes).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // Drafts: keep a copy of unsaved input in this browser, so that an expired session or
  // a lost connection does not lose what was typed. Cleared once the server has it.
  var draftForm = document.querySelector("form[data-draft-key]");
  if (draftForm && window.localStorage) {
    var key = "ctf-draft-" + draftForm.dataset.draftKey;
    var serverVersion = draftForm.dataset.draftVersion;
    var stored = null;
    try { stored = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { stored = null; }
    // Offer the copy only if it differs from what the page shows (after a refused save the
    // server shows the typed values again, and the copy is not news).
    var differs = function (copy) {
      return Object.keys(copy.values || {}).some(function (name) {
        var field = draftForm.elements.namedItem(name);
        return field && field.type !== "hidden" && field.type !== "file" && field.value !== copy.values[name];
      });
    };
    if (stored && stored.version === serverVersion && stored.changed && differs(stored)) {
      var banner = document.getElementById("draft-restore");
      if (banner) {
        banner.hidden = false;
        banner.querySelector("button").addEventListener("click", function () {
          Object.keys(stored.values).forEach(function (name) {
            var field = draftForm.elements.namedItem(name);
            if (field && field.type !== "hidden" && field.type !== "file") { field.value = stored.values[name]; }
          });
          draftForm.querySelectorAll("textarea[data-word-limit]").forEach(function (a) { a.dispatchEvent(new Event("input")); });
          banner.hidden = true;
        });
      }
    } else {
      window.localStorage.removeItem(key);
    }
    draftForm.addEventListener("input", function () {
      var values = {};
      Array.prototype.forEach.call(draftForm.elements, function (field) {
        if (field.name && field.type !== "hidden" && field.type !== "file" && field.type !== "submit") { values[field.name] = field.value; }
      });
      window.localStorage.setItem(key, JSON.stringify({ version: serverVersion, changed: true, values: values }));
    });
  }

  // Reviews: save the draft as the juror types (a second after the last change), so that
  // nothing is lost; the page's own "Save draft" button does the same without JavaScript.
  var reviewForm = document.querySelector("form[data-autosave-url]");
  if (reviewForm && window.fetch && window.FormData) {
    var status = document.getElementById("autosave-status");
    var versionField = reviewForm.elements.namedItem("version");
    var timer = null;
    var saving = false;
    var again = false;
    var pendingSubmitter = null;
    var say = function (text) { if (status) { status.textContent = text; } };
    var save = function () {
      if (saving) { again = true; return; }
      saving = true;
      fetch(reviewForm.dataset.autosaveUrl, {
        method: "POST",
        body: new FormData(reviewForm),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" }
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (result.ok && result.data.version && versionField) { versionField.value = result.data.version; }
        say(result.data.message || "");
      }).catch(function () {
        say(reviewForm.dataset.autosaveOffline || "");
      }).then(function () {
        saving = false;
        if (pendingSubmitter) {
          // A button was pressed while saving: send the form now, with the new version.
          var submitter = pendingSubmitter;
          pendingSubmitter = null;
          if (reviewForm.requestSubmit) { reviewForm.requestSubmit(submitter); } else { submitter.click(); }
        } else if (again) { again = false; save(); }
      });
    };
    reviewForm.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 1000);
    });
    reviewForm.addEventListener("change", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 300);
    });
    reviewForm.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      if (saving) {
        event.preventDefault();
        pendingSubmitter = event.submitter || reviewForm.querySelector("button[name=save]");
      }
    });
  }
})();
