/* The edition's search, on Pagefind's JavaScript API (the index: build_edition/search_index.py).

   Loaded once per visit (extra_javascript), outside what Material's instant navigation swaps:
   the header's search box is set up once; the search page and the highlighting of matched words
   are set up again on every page Material shows (document$). The search page keeps its whole
   state in the address: ?q=words&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=date&sender=Shtykov&…
   Text from the index is put in with textContent; only Pagefind's excerpts, whose text Pagefind
   has already escaped around its <mark> elements, go in as HTML. */
(function () {
  "use strict";

  var ROOT = new URL("..", document.currentScript.src); // this file is ROOT/assets/search.js
  var SEARCH_PAGE = new URL("search/", ROOT);
  var BUNDLE = new URL("pagefind/", ROOT);
  var MANIFEST = "parts.json"; // search_parts.MANIFEST
  var HIGHLIGHT_PARAM = "highlight";
  var PAGE_SIZE = 8; // results per page: with their excerpts, 8 fragment files of about 5 KB
  var SHOWN_VALUES = 8;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  // The facets the page offers, in order; the keys are those of search_index.FILTER_KEYS.
  var FACETS = [
    { key: "kind", label: "Kind of page" },
    { key: "type", label: "Type of document" },
    { key: "year", label: "Year", byValue: true },
    { key: "month", label: "Month", byValue: true, show: monthName },
    { key: "sender", label: "Sender" },
    { key: "recipient", label: "Recipient" },
    { key: "person", label: "Persons named" },
    { key: "place", label: "Places" },
    { key: "repository", label: "Archive" },
    { key: "fond", label: "Archive and fond" },
    { key: "language", label: "Language of the original" },
    { key: "flags", label: "Editorial flags" }
  ];
  var SORTS = { date: { date: "asc" }, "-date": { date: "desc" }, number: { number: "asc" } };

  function monthName(value) {
    var parts = value.split("-");
    return MONTHS[Number(parts[1]) - 1] + " " + parts[0];
  }

  /* The index is in parts (build_edition/search_parts.py): Pagefind indexes of at most a thousand
     pages each, listed in chronological order in parts.json (documents by date, then the edition's
     other pages). pagefind.js loads once, from the top of the bundle, with the first part (the top
     one, whose WebAssembly every instance of the module shares: it is loaded first); each other part
     is an instance of its own, created when a search first needs it. A page that is never searched
     loads nothing of it. */
  var loading = null;
  function index() {
    if (!loading) {
      var manifest = fetch(new URL(MANIFEST, BUNDLE).href, { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error("no list of the index's parts (HTTP " + response.status + ")");
        return response.json();
      });
      var module = import(new URL("pagefind.js", BUNDLE).href);
      loading = Promise.all([manifest, module]).then(function (both) { return new PartedIndex(both[0], both[1]); });
      loading.catch(function () { loading = null; }); // a later search tries again
    }
    return loading;
  }

  function PartedIndex(manifest, module) {
    this.module = module;
    this.parts = manifest.parts;
    this.instances = {};
  }

  /* The Pagefind instance of one part, ready to search (its page metadata loaded). */
  PartedIndex.prototype.instance = function (part) {
    var self = this;
    if (!this.instances[part.folder]) {
      var make = function () {
        // noWorker: searching in the page itself spares the 41 KB of Pagefind's worker script.
        var instance = self.module.createInstance({ basePath: new URL(part.folder, BUNDLE).pathname,
          baseUrl: ROOT.pathname, highlightParam: HIGHLIGHT_PARAM, noWorker: true });
        // A search for no words returns as soon as the instance is set up, and loads nothing more.
        return instance.preload("").then(function () { return instance; });
      };
      this.instances[part.folder] = part.folder === "" ? make() : this.instance(this.top()).then(make);
    }
    return this.instances[part.folder];
  };

  PartedIndex.prototype.top = function () {
    return this.parts.filter(function (part) { return part.folder === ""; })[0];
  };

  /* The parts a search needs: with a date range, only the parts of documents whose dates meet it
     (no other page has a date in any range). */
  PartedIndex.prototype.partsFor = function (state) {
    if (!state.from && !state.to) return this.parts;
    return this.parts.filter(function (part) {
      return part.documents && (!state.from || part.last_date >= state.from) && (!state.to || part.first_date <= state.to);
    });
  };

  /* One search over the parts: each part searched with the same words and options, the results
     merged in the order asked for, and the counts of the facets summed. */
  PartedIndex.prototype.search = function (term, options, lists, parts, sort, words) {
    var self = this;
    return Promise.all(parts.map(function (part) {
      return self.instance(part).then(function (instance) {
        return instance.preload(term, { filters: lists }).then(function () { return instance.search(term, options); })
          .then(function (search) { return wordsFound(instance, words).then(function (found) { search.found = found; return search; }); });
      });
    })).then(function (searches) {
      return withoutStandIns(searches, words);
    }).then(function (searches) {
      return { results: mergedResults(searches.map(function (s) { return s.results; }), sort),
        filters: summedCounts(searches.map(function (s) { return s.filters || {}; })),
        totalFilters: summedCounts(searches.map(function (s) { return s.totalFilters || {}; })) };
    });
  };

  /* Pagefind, given a word its index lacks (no word of the index begins with it), searches the
     longest beginning of the word that the index has instead: "Incheon" becomes "in" in a part
     without Incheon. In one index for the whole site that happens only when no page has the word;
     in parts it would happen in every part without it. So each part is also asked, for each word,
     whether it has the word itself (an exact search, which Pagefind answers from the chunk of its
     index the search loaded already; it stems the word, so "Stalin's" has "Stalin"). A part without
     one of the words is kept only if the words its first result matched begin with that word
     ("Koreans" for "Korea": Pagefind found the word inside longer ones), which costs one fragment
     of each such part that found anything. */
  function wordsFound(instance, words) {
    return Promise.all(words.map(function (word) {
      return instance.search('"' + word + '"', {}).then(function (exact) { return exact.results.length > 0; });
    }));
  }

  function withoutStandIns(searches, words) {
    return Promise.all(searches.map(function (search) {
      var missing = words.filter(function (word, i) { return !search.found[i]; });
      if (!missing.length || !search.results.length) return true;
      return search.results[0].data().then(function (data) {
        return missing.every(function (word) { return matchesBeginWith(data, word); });
      });
    })).then(function (keep) { return searches.filter(function (search, i) { return keep[i]; }); });
  }

  /* Whether a word Pagefind matched in the page (its locations in the page's words) begins with ``word``. */
  function matchesBeginWith(data, word) {
    var pageWords = (data.content || "").split(/\s+/);
    return (data.locations || []).some(function (location) {
      return plain(pageWords[location] || "").indexOf(plain(word)) === 0;
    });
  }

  function plain(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase().replace(/[^\p{L}\p{N}_]+/gu, "");
  }

  function summedCounts(countsOfParts) {
    var sum = {};
    countsOfParts.forEach(function (counts) {
      Object.keys(counts).forEach(function (key) {
        var values = sum[key] = sum[key] || {};
        Object.keys(counts[key]).forEach(function (value) { values[value] = (values[value] || 0) + counts[key][value]; });
      });
    });
    return sum;
  }

  /* Each part's results come sorted as asked. By date the parts follow each other (their date ranges
     are in order, the pages without a date last), so the lists are joined, latest part first for
     latest first; by relevance the results are sorted by score; by number they are merged. */
  function mergedResults(lists, sort) {
    if (sort === "number") return new MergedByNumber(lists);
    if (sort === "-date") lists = lists.slice().reverse();
    var all = [].concat.apply([], lists);
    if (!sort) all.sort(function (a, b) { return b.score - a.score; }); // stable: ties keep the parts' order
    return new ResultList(all);
  }

  function ResultList(results) {
    this.total = results.length;
    this.results = results;
  }

  /* The data (fragment) of results start to start + count. */
  ResultList.prototype.take = function (start, count) {
    return Promise.all(this.results.slice(start, start + count).map(function (r) { return r.data(); }));
  };

  /* Results by telegram number, from lists each sorted by it: a k-way merge on the number each
     result's page carries in its metadata (meta.number; none: after every number). The first page
     of results loads the first result of every part that has any, then one more per result shown. */
  function MergedByNumber(lists) {
    this.total = lists.reduce(function (sum, list) { return sum + list.length; }, 0);
    this.cursors = lists.filter(function (list) { return list.length; }).map(function (list) {
      return { list: list, next: 0, head: null };
    });
    this.merged = [];
  }

  MergedByNumber.prototype.take = function (start, count) {
    var self = this;
    if (this.merged.length >= Math.min(start + count, this.total)) {
      return Promise.resolve(this.merged.slice(start, start + count));
    }
    return Promise.all(this.cursors.map(function (cursor) {
      if (!cursor.head && cursor.next < cursor.list.length) cursor.head = cursor.list[cursor.next].data();
      return cursor.head;
    })).then(function (heads) {
      var best = -1;
      heads.forEach(function (data, i) {
        if (data && (best < 0 || numberOf(data) < numberOf(heads[best]))) best = i;
      });
      var cursor = self.cursors[best];
      self.merged.push(heads[best]);
      cursor.next += 1;
      cursor.head = null;
      return self.take(start, count);
    });
  };

  function numberOf(data) {
    var number = data.meta && data.meta.number;
    return number ? Number(number) : Infinity;
  }

  /* Going to a page: through Material's instant navigation when it is there. */
  function go(url) {
    if (window.location$ && typeof window.location$.next === "function" && document.querySelector("[data-md-component=container]")) {
      history.pushState(null, "", url.href);
      window.location$.next(url);
    } else {
      window.location.assign(url.href);
    }
  }

  /* ---- The header's search box ---- */

  function setUpBox() {
    var form = document.querySelector("[data-edition-search-box]");
    if (!form) return;
    form.action = SEARCH_PAGE.href; // the form's own address is relative to the page first loaded
    var input = form.elements.q;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var words = input.value.trim();
      var page = document.querySelector("[data-edition-search]");
      if (page && page.editionSearch) {
        page.editionSearch.setQuery(words);
        return;
      }
      var url = new URL(SEARCH_PAGE);
      if (words) url.searchParams.set("q", words);
      go(url);
    });
    input.addEventListener("focus", function () {
      index().then(function (idx) { return idx.instance(idx.top()); }).catch(function () {});
    }, { once: true });
    // Material's keys for search (/, s, f) focus the box, as they would focus Material's.
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || ["/", "s", "f"].indexOf(event.key) < 0) return;
      var target = event.target;
      if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      event.preventDefault();
      event.stopPropagation();
      if (input.offsetParent !== null) input.focus();
      else go(SEARCH_PAGE);
    }, true);
  }

  /* ---- The state of a search, and the address that holds it ---- */

  function readAddress(url) {
    var params = url.searchParams;
    var state = { q: params.get("q") || "", from: params.get("from") || "", to: params.get("to") || "",
      sort: SORTS[params.get("sort")] ? params.get("sort") : "", facets: {} };
    FACETS.forEach(function (facet) {
      var values = params.getAll(facet.key).filter(Boolean);
      if (values.length) state.facets[facet.key] = values;
    });
    return state;
  }

  function address(state) {
    var url = new URL(SEARCH_PAGE);
    if (state.q) url.searchParams.set("q", state.q);
    if (state.from) url.searchParams.set("from", state.from);
    if (state.to) url.searchParams.set("to", state.to);
    if (state.sort) url.searchParams.set("sort", state.sort);
    FACETS.forEach(function (facet) {
      (state.facets[facet.key] || []).forEach(function (value) { url.searchParams.append(facet.key, value); });
    });
    return url;
  }

  /* ---- From a state to Pagefind's options ---- */

  function isoDay(date) { return date.toISOString().slice(0, 10); }
  function utc(text) { return new Date(text + "T00:00:00Z"); }
  function addDays(date, days) { return new Date(date.getTime() + days * 86400000); }

  /* A date range as Pagefind filters: whole years, then whole months, then single days, so that
     any range takes a few dozen values at most (the index has year, month and day filters). */
  function rangeFilters(from, to, years) {
    // An open end stops at the first or last year of the index, once its years are known.
    var known = years.map(Number).sort(function (a, b) { return a - b; });
    var first = known.length ? known[0] : 1800, last = known.length ? known[known.length - 1] : 2100;
    var start = from ? utc(from) : utc(first + "-01-01");
    var end = to ? utc(to) : utc(last + "-12-31");
    var parts = [];
    var day = start;
    while (day <= end) {
      var y = day.getUTCFullYear(), m = day.getUTCMonth(), d = day.getUTCDate();
      var yearEnd = new Date(Date.UTC(y, 11, 31));
      var monthEnd = new Date(Date.UTC(y, m + 1, 0));
      if (m === 0 && d === 1 && yearEnd <= end) {
        parts.push({ year: String(y) });
        day = new Date(Date.UTC(y + 1, 0, 1));
      } else if (d === 1 && monthEnd <= end) {
        parts.push({ month: isoDay(day).slice(0, 7) });
        day = new Date(Date.UTC(y, m + 1, 1));
      } else {
        parts.push({ day: isoDay(day) });
        day = addDays(day, 1);
      }
    }
    return parts;
  }

  /* Words, or the word every page carries in its metadata: Pagefind answers a search without
     words (term null) by loading every chunk of its word index, this word loads one chunk. */
  function searchTerm(state, browseWord) {
    return state.q || browseWord || null;
  }

  /* The words of a query as Pagefind searches them one by one: lower case, without punctuation
     (pagefind.js drops it, "Stalin's" is "stalins"), split at spaces. */
  function queryWords(text) {
    return text.toLocaleLowerCase().replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "").split(/\s+/).filter(Boolean);
  }

  /* Without words relevance means nothing: by date, then (pages without one sort last). */
  function sortOf(state) {
    return state.sort || (state.q ? "" : "date");
  }

  function searchOptions(state, years) {
    var filters = {};
    Object.keys(state.facets).forEach(function (key) { filters[key] = { any: state.facets[key] }; });
    if (state.from || state.to) {
      var range = rangeFilters(state.from, state.to, years);
      filters.any = range.length ? range : [{ day: "none" }]; // a value no page has
    }
    var options = { filters: filters };
    var sort = sortOf(state);
    if (sort) options.sort = SORTS[sort];
    return options;
  }

  /* ---- The search page ---- */

  function SearchPage(root) {
    this.root = root;
    this.form = root.querySelector("[data-edition-search-form]");
    this.facetsBox = root.querySelector("[data-edition-search-facets]");
    this.status = root.querySelector("[data-edition-search-status]");
    this.list = root.querySelector("[data-edition-search-list]");
    this.more = root.querySelector("[data-edition-search-more]");
    this.expanded = {};
    this.opened = {};
    this.years = [];
    this.focusFacet = null;
    this.run = 0;
    this.results = new ResultList([]);
    this.shown = 0;
    root.editionSearch = this;
    this.bind();
    this.restore(readAddress(new URL(window.location.href)));
  }

  SearchPage.prototype.bind = function () {
    var self = this, timer = null;
    this.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      self.update();
    });
    this.form.addEventListener("change", function (event) {
      if (event.target.name !== "q") self.update();
    });
    this.form.elements.q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { self.update(); }, 300);
    });
    this.root.querySelector("[data-edition-search-clear]").addEventListener("click", function () {
      self.restore(readAddress(new URL(SEARCH_PAGE)));
      self.update();
      self.form.elements.q.focus();
    });
    this.more.addEventListener("click", function () { self.showMore(true); });
  };

  /* The form shows the state; the facets' boxes are ticked when the lists are drawn. */
  SearchPage.prototype.restore = function (state) {
    this.state = state;
    this.form.elements.q.value = state.q;
    this.form.elements.from.value = state.from;
    this.form.elements.to.value = state.to;
    this.form.elements.sort.value = state.sort;
    var box = document.getElementById("edition-search-box-input");
    if (box) box.value = state.q;
    this.search();
  };

  SearchPage.prototype.setQuery = function (words) {
    this.form.elements.q.value = words;
    this.update();
  };

  SearchPage.prototype.readForm = function () {
    var elements = this.form.elements;
    var state = { q: elements.q.value.trim(), from: elements.from.value, to: elements.to.value,
      sort: elements.sort.value, facets: {} };
    this.facetsBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (state.facets[box.name] = state.facets[box.name] || []).push(box.value);
    });
    return state;
  };

  /* A change of the form: the address follows (no new history entry), then the search runs. */
  SearchPage.prototype.update = function () {
    this.state = this.readForm();
    history.replaceState(history.state, "", address(this.state).href);
    this.search();
  };

  /* Pagefind counts the values of the lists whose part of the index it has loaded (at 10,000
     documents each list is a file of 20-200 KB): a list loads when the reader opens it, or when
     the search uses it, and stays open. */
  SearchPage.prototype.search = function () {
    var self = this, run = ++this.run, state = this.state;
    Object.keys(state.facets).forEach(function (key) { self.opened[key] = true; });
    this.status.textContent = "Searching…";
    if (state.from && state.to && state.from > state.to) {
      this.showNone("The date range ends before it begins.");
      return;
    }
    index().then(function (idx) {
      var term = searchTerm(state, self.root.dataset.browseWord);
      var lists = {};
      Object.keys(self.opened).forEach(function (key) { lists[key] = "(load)"; });
      return idx.search(term, searchOptions(state, self.years), lists, idx.partsFor(state), sortOf(state),
        state.q ? queryWords(state.q) : []);
    }).then(function (search) {
      if (run !== self.run) return; // a newer search has started
      if (search.totalFilters && search.totalFilters.year) self.years = Object.keys(search.totalFilters.year);
      self.drawFacets(search.filters || {}, search.totalFilters || {});
      self.results = search.results;
      self.list.textContent = "";
      self.shown = 0;
      return self.showMore(false);
    }).catch(function (error) {
      if (run !== self.run) return;
      self.status.textContent = "The search index could not be loaded (" + error.message + ").";
      console.warn("edition search:", error);
    });
  };

  SearchPage.prototype.showNone = function (message) {
    this.results = new ResultList([]);
    this.list.textContent = "";
    this.more.hidden = true;
    this.status.textContent = message;
  };

  SearchPage.prototype.showMore = function (focusFirst) {
    var self = this, run = this.run, start = this.shown;
    return this.results.take(start, PAGE_SIZE).then(function (pages) {
      if (run !== self.run) return;
      pages.forEach(function (data) { self.list.appendChild(resultItem(data)); });
      self.shown = start + pages.length;
      var total = self.results.total;
      self.status.textContent = total === 0 ? "No pages match." :
        (total === 1 ? "1 page matches." : total + " pages match.") +
        (self.shown < total ? " Showing the first " + self.shown + "." : "");
      self.more.hidden = self.shown >= total;
      if (focusFirst && pages.length) self.list.children[start].querySelector("a").focus();
    });
  };

  function resultItem(data) {
    var meta = data.meta || {};
    var item = document.createElement("li");
    item.className = "edition-search__result";
    var link = document.createElement("a");
    link.className = "edition-search__title";
    link.href = data.url;
    link.textContent = meta.title || data.url;
    item.appendChild(link);
    var facts = [meta.date, meta.type, meta.parties].filter(Boolean);
    if (facts.length) item.appendChild(paragraph("edition-search__facts", facts.join(" · ")));
    if (meta.reference) item.appendChild(paragraph("edition-search__reference", meta.reference));
    if (data.excerpt) {
      var excerpt = paragraph("edition-search__excerpt", "");
      excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>
      item.appendChild(excerpt);
    }
    return item;
  }

  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  /* The facets: a button for each list not loaded yet, and the open lists as checkboxes with the
     number of the pages shown that have each value. The focus stays on the control the reader
     used although the lists are drawn anew (on the first box of a list just opened). */
  SearchPage.prototype.drawFacets = function (counts, totals) {
    var self = this, state = this.state;
    this.lastCounts = counts; // for "Show all", which draws the lists again
    this.lastTotals = totals;
    var focused = document.activeElement;
    var focusKey = focused && this.facetsBox.contains(focused) ? [focused.name, focused.value, focused.tagName] : null;
    this.facetsBox.textContent = "";
    FACETS.forEach(function (facet) {
      if (!self.opened[facet.key]) {
        self.facetsBox.appendChild(self.facetOpener(facet));
        return;
      }
      var chosen = state.facets[facet.key] || [];
      var mine = counts[facet.key] || {};
      // The values ticked stay shown, found or not (in the parts of the index a date range leaves out too).
      var shown = Object.keys(totals[facet.key] || mine).filter(function (value) {
        return chosen.indexOf(value) < 0 && (mine[value] || 0) > 0;
      }).concat(chosen);
      shown.sort(facet.byValue ? function (a, b) { return a < b ? -1 : a > b ? 1 : 0; } : function (a, b) {
        return (mine[b] || 0) - (mine[a] || 0) || a.localeCompare(b);
      });
      self.facetsBox.appendChild(self.facetList(facet, shown, chosen, mine));
    });
    var again = null;
    if (this.focusFacet) {
      again = this.facetsBox.querySelector('input[name="' + this.focusFacet + '"]') ||
        this.facetsBox.querySelector('[data-facet="' + this.focusFacet + '"]');
      this.focusFacet = null;
    } else if (focusKey) {
      again = Array.prototype.find.call(this.facetsBox.querySelectorAll("input, button"), function (el) {
        return el.name === focusKey[0] && el.value === focusKey[1] && el.tagName === focusKey[2];
      });
    }
    if (again) again.focus();
  };

  SearchPage.prototype.facetOpener = function (facet) {
    var self = this;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "edition-search__opener";
    button.name = "open-" + facet.key;
    button.value = "open";
    button.setAttribute("aria-expanded", "false");
    button.textContent = facet.label;
    button.addEventListener("click", function () {
      self.opened[facet.key] = true;
      self.focusFacet = facet.key;
      button.disabled = true;
      button.textContent = facet.label + " (loading…)";
      self.search();
    });
    return button;
  };

  SearchPage.prototype.facetList = function (facet, values, chosen, counts) {
    var self = this;
    var set = document.createElement("fieldset");
    set.className = "edition-search__facet";
    set.setAttribute("data-facet", facet.key);
    set.tabIndex = -1;
    var legend = document.createElement("legend");
    legend.textContent = facet.label;
    set.appendChild(legend);
    var list = document.createElement("ul");
    var open = this.expanded[facet.key];
    values.forEach(function (value, index) {
      var item = document.createElement("li");
      if (!open && index >= SHOWN_VALUES && chosen.indexOf(value) < 0) item.hidden = true;
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = facet.key;
      box.value = value;
      box.checked = chosen.indexOf(value) >= 0;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + (facet.show ? facet.show(value) : value) + " "));
      var count = document.createElement("span");
      count.className = "edition-search__count";
      count.textContent = "(" + (counts[value] || 0) + ")";
      label.appendChild(count);
      item.appendChild(label);
      list.appendChild(item);
    });
    set.appendChild(list);
    if (!values.length) set.appendChild(paragraph("edition-search__none", "None among the pages found."));
    if (values.length > SHOWN_VALUES) {
      var toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "edition-search__toggle";
      toggle.name = "toggle-" + facet.key;
      toggle.value = "toggle";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "Show fewer" : "Show all " + values.length;
      toggle.addEventListener("click", function () {
        self.expanded[facet.key] = !open;
        self.drawFacets(self.lastCounts, self.lastTotals);
      });
      set.appendChild(toggle);
    }
    return set;
  };

  /* ---- Highlighting the words on a page opened from a result (…/?highlight=word) ---- */

  var highlighter = null;
  function highlight() {
    var words = new URL(window.location.href).searchParams.getAll(HIGHLIGHT_PARAM);
    if (!words.length || !document.querySelector("[data-pagefind-body]")) return;
    if (!highlighter) highlighter = import(new URL("pagefind-highlight.js", BUNDLE).href);
    highlighter.then(function (module) {
      var Highlight = module.default || window.PagefindHighlight;
      new Highlight({ highlightParam: HIGHLIGHT_PARAM });
    }).catch(function (error) { console.warn("edition search: no highlighting:", error); });
  }

  /* ---- Every page Material shows ---- */

  function onPage() {
    var root = document.querySelector("[data-edition-search]");
    if (root && !root.editionSearch) new SearchPage(root);
    highlight();
  }

  setUpBox();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
