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

  // A question shown only after a given answer to another (grants/form_html.py): hidden
  // until that answer is chosen; a hidden question also hides those that depend on it.
  // Without the script every question stays, with a hint saying when it applies.
  var conditional = Array.prototype.slice.call(document.querySelectorAll("[data-show-if]"));
  function applyConditions() {
    conditional.forEach(function (wrapper) {
      var form = wrapper.closest("form") || document;
      var inputs = Array.prototype.slice.call(
        form.querySelectorAll('[name="' + wrapper.dataset.showIf + '"]'));
      var controlling = inputs.length ? inputs[0].closest(".field") : null;
      var visible = (!controlling || !controlling.hidden) && inputs.some(function (input) {
        return input.checked && input.value === wrapper.dataset.showValue;
      });
      wrapper.hidden = !visible;
    });
  }
  if (conditional.length) {
    conditional.forEach(function (wrapper) {
      var hint = wrapper.querySelector(".condition");
      if (hint) { hint.hidden = true; }
    });
    document.addEventListener("change", applyConditions);
    applyConditions();
  }

  // The draft's budget follows the hours of the milestones and the track as they are typed,
  // by the rules of Application.budget(): whole cents, percentages in basis points, half up.
  var budgetTable = document.querySelector("table[data-budget-rules]");
  var budgetForm = document.querySelector("form[data-draft-key]");
  if (budgetTable && budgetForm) {
    var rules = JSON.parse(budgetTable.dataset.budgetRules);
    var numbers = new Intl.NumberFormat(rules.german ? "de-DE" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var euro = function (cents) {
      var text = numbers.format(Math.abs(cents) / 100);
      var sign = cents < 0 ? "\u2212" : "";
      return rules.german ? sign + text + "\u00a0€" : sign + "€" + text;
    };
    var share = function (cents, basisPoints) {  // cents × basisPoints / 10,000, half up
      var product = cents * basisPoints;
      var quotient = Math.floor(product / 10000);
      return (product - quotient * 10000) * 2 >= 10000 ? quotient + 1 : quotient;
    };
    var show = function (name, text) {
      var cell = budgetTable.querySelector('[data-budget="' + name + '"]');
      if (cell) { cell.textContent = text; }
    };
    var recompute = function () {
      var hours = 0;
      budgetForm.querySelectorAll('input[name$="-hours"]').forEach(function (input) {
        var value = parseInt(input.value, 10);
        if (value > 0) { hours += value; }
      });
      var track = budgetForm.querySelector('[name="track"]');
      var trackValue = track ? track.value : rules.track;
      var cap = trackValue ? rules.caps[trackValue] : null;
      var rate = (trackValue && rules.rates[trackValue]) || rules.rate;
      var personnel = hours * rate;
      var overhead = share(personnel, rules.overhead);
      var total = personnel + overhead;
      var requested = share(total, rules.funding);
      show("hours", String(hours));
      show("personnel-label", rules.personnel.replace("%(rate)s", euro(rate)));
      show("personnel", euro(personnel));
      show("overhead", euro(overhead));
      show("total", euro(total));
      show("requested", euro(requested));
      show("own_share", euro(total - requested));
      var capRow = budgetTable.querySelector('[data-budget-row="cap"]');
      if (capRow) { capRow.hidden = cap === null || cap === undefined; }
      if (cap !== null && cap !== undefined) { show("cap", euro(cap)); }
      var overCap = document.querySelector('[data-budget-row="over-cap"]');
      if (overCap) { overCap.hidden = cap === null || cap === undefined || requested <= cap; }
    };
    budgetForm.addEventListener("input", recompute);
    budgetForm.addEventListener("change", recompute);

    // The month fields offer the months of the chosen track, as the server does; a month
    // chosen for a longer track stays, marked, so that nothing typed disappears.
    var longest = Math.max.apply(null, Object.keys(rules.months).map(function (k) { return rules.months[k]; }));
    var offerMonths = function () {
      var track = budgetForm.querySelector('[name="track"]');
      var months = track && rules.months[track.value] ? rules.months[track.value] : longest;
      budgetForm.querySelectorAll('select[name^="milestones-"][name$="-month"]').forEach(function (select) {
        var chosen = parseInt(select.value, 10);
        while (select.options.length > 1) { select.remove(1); }
        for (var month = 1; month <= months; month += 1) { select.add(new Option(String(month), String(month))); }
        if (chosen > months) { select.add(new Option(rules.beyond.replace("%(month)s", chosen), String(chosen))); }
        select.value = chosen ? String(chosen) : "";
      });
    };
    var trackField = budgetForm.querySelector('select[name="track"]');
    if (trackField) { trackField.addEventListener("change", offerMonths); }
  }

  // Wide tables: say that they scroll sideways (the CSS shadows show it too). The templates
  // make every scroll box a named tab stop (tests/test_scroll_boxes.py), so the keyboard can
  // scroll it with or without this script and however late the table widens: the script
  // only shows or hides the hint.
  var hintText = document.documentElement.dataset.scrollHint;
  document.querySelectorAll(".table-scroll").forEach(function (box) {
    var hint = document.createElement("p");
    hint.className = "scroll-hint";
    hint.textContent = hintText || "";
    hint.hidden = true;
    box.parentNode.insertBefore(hint, box);
    function update() {
      hint.hidden = !(box.scrollWidth > box.clientWidth + 1);
    }
    update();
    window.addEventListener("resize", update);
    // The table can widen after the first layout (fonts, a late style, a page under load)
    // without the window changing size: follow the box and its table themselves.
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(update);
      observer.observe(box);
      var table = box.querySelector("table");
      if (table) { observer.observe(table); }
    }
  });

  // "Select all on this page" for the staff list (hidden without JavaScript).
  document.querySelectorAll("input[data-select-all]").forEach(function (all) {
    var form = all.form;
    var boxes = form ? Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="applications"]')) : [];
    if (!boxes.length) { return; }
    all.hidden = false;
    all.nextElementSibling.classList.remove("visually-hidden");
    var sync = function () {
      var checked = boxes.filter(function (box) { return box.checked; }).length;
      all.checked = checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    };
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      sync();
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  });

  // The SEPA selection on the finance page: the count and total of the chosen payments
  // as they are ticked (the review step shows the server's figures before anything is
  // recorded).
  document.querySelectorAll("form[data-sepa-selection]").forEach(function (form) {
    var output = form.querySelector("[data-sepa-total]");
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[name="payments"][data-cents]'));
    if (!output || !boxes.length) { return; }
    var german = (document.documentElement.lang || "").indexOf("de") === 0;
    var numbers = new Intl.NumberFormat(german ? "de-DE" : "en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var update = function () {
      var chosen = boxes.filter(function (box) { return box.checked; });
      var cents = chosen.reduce(function (sum, box) { return sum + parseInt(box.dataset.cents, 10); }, 0);
      var amount = numbers.format(cents / 100);
      output.textContent = output.dataset.text
        .replace("{count}", String(chosen.length))
        .replace("{total}", german ? amount + "\u00a0€" : "€" + amount);
      output.hidden = false;
    };
    boxes.forEach(function (box) { box.addEventListener("change", update); });
    update();
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
    // "N criteria still to score" follows the score fields as the juror chooses.
    var missing = document.getElementById("scores-missing");
    var countMissing = function () {
      if (!missing) { return; }
      var open = Array.prototype.filter.call(reviewForm.querySelectorAll("select[name^='score_']"), function (field) { return field.value === ""; }).length;
      var text = open === 0 ? missing.dataset.none : (open === 1 ? missing.dataset.one : missing.dataset.other);
      missing.textContent = open === 0 ? text : text.replace(/\d+/, String(open));
    };
    reviewForm.addEventListener("input", function () {
      countMissing();
      window.clearTimeout(timer);
      timer = window.setTimeout(save, 1000);
    });
    reviewForm.addEventListener("change", function () {
      countMissing();
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
