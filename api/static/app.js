// The staff page: ask (streamed through the OpenAI-compatible endpoint) or search,
// and open cited articles with the quoted sentences highlighted.
// Article text is data: it is only ever written with textContent, never as HTML.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const els = {
    form: $("ask-form"), question: $("question"), submit: $("submit"),
    status: $("status"), error: $("error"), panes: document.querySelector(".panes"),
    result: $("result"), resultHeading: $("result-heading"), answer: $("answer"),
    citations: $("citations"), passages: $("passages"),
    article: $("article"), articleTitle: $("article-title"), articleMeta: $("article-meta"),
    articleOriginal: $("article-original"), articleText: $("article-text"),
    translations: $("article-translations"), translationList: $("translation-list"),
    versions: $("article-versions"), versionList: $("version-list"),
    closeArticle: $("close-article"),
    province: $("f-province"), since: $("f-since"), until: $("f-until"),
    lang: $("f-lang"), site: $("f-site"), provinceList: $("province-list"),
    filterSummary: $("filter-summary"), clearFilters: $("clear-filters"),
    conversationBar: $("conversation-bar"), conversationCount: $("conversation-count"),
    newConversation: $("new-conversation"),
    keyButton: $("key-button"), keyDialog: $("key-dialog"), keyInput: $("key-input"),
  };
  const KEY_STORAGE = "policyqa.apiKey";
  const SOURCES_MARK = "\n\nSources:";
  // What the server accepts with a question: the last MAX_HISTORY_TURNS turns
  // (api/schemas.py) in a body under POLICYQA_MAX_REQUEST_BYTES (64,000 by default).
  // Older turns stay on screen but are no longer sent.
  const MAX_HISTORY_TURNS = 20;
  const MAX_BODY_BYTES = 48000;
  let history = [];
  let turnsLeftOut = 0;
  let articleOpener = null;
  let busy = false;

  // ---- HTTP -------------------------------------------------------------------------

  class ApiFailure extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    const key = sessionStorage.getItem(KEY_STORAGE);
    if (key) h["X-API-Key"] = key;
    return h;
  }

  async function failureFrom(response) {
    let message = `The server answered ${response.status}.`;
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch (_) { /* not JSON: keep the status line */ }
    if (response.status === 401) askForKey();
    if (response.status === 429) {
      const wait = response.headers.get("Retry-After");
      if (wait) message += ` (try again in ${wait} s)`;
    }
    return new ApiFailure(response.status, message);
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: headers({ Accept: "application/json" }) });
    if (!response.ok) throw await failureFrom(response);
    return response.json();
  }

  // ---- status and errors ------------------------------------------------------------

  function setBusy(text) {
    busy = Boolean(text);
    els.status.textContent = text || "";
    els.status.classList.toggle("busy", busy);
    els.submit.disabled = busy;
    els.form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function showError(message) {
    els.error.textContent = message || "";
    els.error.hidden = !message;
  }

  // ---- filters ----------------------------------------------------------------------

  function currentFilters() {
    const filters = {};
    const province = els.province.value.trim();
    if (province) filters.province = [province];
    if (els.since.value) filters.since = els.since.value;
    if (els.until.value) filters.until = els.until.value;
    if (els.lang.value) filters.lang = [els.lang.value];
    const site = els.site.value.trim();
    if (site) filters.site = [site];
    return filters;
  }

  function updateFilterSummary() {
    const f = currentFilters();
    const parts = [];
    if (f.province) parts.push(f.province[0]);
    if (f.since || f.until) parts.push(`${f.since || "…"} – ${f.until || "…"}`);
    if (f.lang) parts.push(f.lang[0]);
    if (f.site) parts.push(f.site[0]);
    els.filterSummary.textContent = parts.length ? `(${parts.join(", ")})` : "";
  }

  async function loadProvinces() {
    clear(els.provinceList);
    try {
      const units = await getJson("/provinces");
      for (const unit of units) {
        const option = document.createElement("option");
        option.value = unit.name;
        const english = unit.names && unit.names.en;
        if (english && english !== unit.name) option.label = english;
        els.provinceList.appendChild(option);
      }
    } catch (_) { /* the picker stays free text */ }
  }

  // ---- rendering ----------------------------------------------------------------------

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function day(value) { return value ? String(value).slice(0, 10) : ""; }

  function metaLine(item) {
    return [item.site, day(item.published), item.lang].filter(Boolean).join(" · ");
  }

  function safeHref(url) {
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_) { return null; }
  }

  function showResult(heading) {
    els.result.hidden = false;
    els.resultHeading.textContent = heading;
    clear(els.answer); clear(els.citations); clear(els.passages);
    els.answer.classList.remove("refused", "streaming");
  }

  // The answer with its [n] markers as buttons that open the cited article.
  function renderAnswer(answer) {
    clear(els.answer);
    els.answer.lang = answer.language || "";
    els.answer.classList.toggle("refused", Boolean(answer.refused));
    const byNumber = new Map((answer.citations || []).map((c) => [c.n, c]));
    const text = answer.answer || "";
    const pattern = /\[(\d+)\]/g;
    let last = 0;
    let match;
    while ((match = pattern.exec(text)) !== null) {
      els.answer.appendChild(document.createTextNode(text.slice(last, match.index)));
      const citation = byNumber.get(Number(match[1]));
      if (citation) {
        const button = el("button", "marker", `[${citation.n}]`);
        button.type = "button";
        button.setAttribute("aria-label", `Source ${citation.n}: ${citation.title}`);
        button.addEventListener("click", () => openCitation(citation, button));
        els.answer.appendChild(button);
      } else {
        els.answer.appendChild(document.createTextNode(match[0]));
      }
      last = pattern.lastIndex;
    }
    els.answer.appendChild(document.createTextNode(text.slice(last)));

    clear(els.citations);
    for (const citation of answer.citations || []) {
      const item = el("li");
      item.id = `citation-${citation.n}`;
      const open = el("button", "citation-open", `[${citation.n}] ${citation.title}`);
      open.type = "button";
      open.setAttribute("aria-label", `Open source ${citation.n}: ${citation.title}`);
      open.addEventListener("click", () => openCitation(citation, open));
      item.appendChild(open);
      item.appendChild(el("div", "meta", metaLine(citation)));
      const quote = el("blockquote", "quote", citation.quote);
      if (citation.lang) quote.lang = citation.lang;
      item.appendChild(quote);
      els.citations.appendChild(item);
    }
  }

  function renderPassages(results) {
    clear(els.passages);
    if (!results.length) {
      els.passages.appendChild(el("li", "muted", "No passages match. Try other words or fewer filters."));
      return;
    }
    for (const passage of results) {
      const item = el("li");
      const open = el("button", "passage-open", `${passage.rank}. ${passage.title}`);
      open.type = "button";
      open.addEventListener("click", () => openArticle(passage.article_id, passage.start, passage.end, passage.text, open));
      item.appendChild(open);
      item.appendChild(el("div", "meta", `${metaLine(passage)} · score ${passage.score.toFixed(3)}`));
      const text = el("p", "quote", passage.text);
      if (passage.lang) text.lang = passage.lang;
      item.appendChild(text);
      els.passages.appendChild(item);
    }
  }

  // ---- article view -----------------------------------------------------------------

  function openCitation(citation, opener) {
    return openArticle(citation.article_id, citation.start, citation.end, citation.quote, opener);
  }

  // Where the quote is: the given offsets, or (if the article changed since) a search.
  function locate(text, start, end, quote) {
    if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end <= text.length && start < end) {
      if (!quote || text.slice(start, end) === quote) return [start, end];
    }
    if (quote) {
      const found = text.indexOf(quote);
      if (found >= 0) return [found, found + quote.length];
    }
    return null;
  }

  async function openArticle(id, start, end, quote, opener) {
    articleOpener = opener || null;
    showError("");
    setBusy("Opening the article…");
    let article;
    try {
      article = await getJson(`/articles/${encodeURIComponent(id)}`);
    } catch (error) {
      setBusy("");
      showError(error.message);
      return;
    }
    setBusy("");
    els.article.hidden = false;
    els.panes.classList.add("with-article");
    els.articleTitle.textContent = article.title;
    els.articleTitle.lang = article.lang || "";
    els.articleMeta.textContent = [metaLine(article), article.author, article.province]
      .filter(Boolean).join(" · ");
    const href = safeHref(article.url);
    if (href) { els.articleOriginal.href = href; els.articleOriginal.hidden = false; }
    else { els.articleOriginal.removeAttribute("href"); els.articleOriginal.hidden = true; }

    clear(els.translationList);
    for (const t of article.translations || []) {
      const item = el("li");
      if (t.id) {
        const open = el("button", "link-button", `${t.lang || "?"}: ${t.title}`);
        open.type = "button";
        open.addEventListener("click", () => openArticle(t.id, null, null, null, open));
        item.appendChild(open);
      } else {
        item.appendChild(el("span", null, `${t.lang || "?"}: ${t.title}`));
      }
      const link = safeHref(t.url);
      if (link) {
        const a = el("a", null, "on its site");
        a.href = link; a.rel = "noopener noreferrer nofollow"; a.target = "_blank";
        item.appendChild(document.createTextNode(" ("));
        item.appendChild(a);
        item.appendChild(document.createTextNode(")"));
      }
      els.translationList.appendChild(item);
    }
    els.translations.hidden = !(article.translations || []).length;

    clear(els.versionList);
    for (const v of article.versions || []) {
      els.versionList.appendChild(el("li", null,
        [`version ${v.version ?? "?"}`, day(v.fetched_at), v.title].filter(Boolean).join(" · ")));
    }
    els.versions.hidden = !(article.versions || []).length;

    clear(els.articleText);
    els.articleText.lang = article.lang || "";
    const text = article.text || "";
    const span = locate(text, start, end, quote);
    if (span) {
      const mark = el("mark", "cited", text.slice(span[0], span[1]));
      mark.tabIndex = -1;
      mark.setAttribute("aria-label", "Quoted passage");
      els.articleText.appendChild(document.createTextNode(text.slice(0, span[0])));
      els.articleText.appendChild(mark);
      els.articleText.appendChild(document.createTextNode(text.slice(span[1])));
      mark.scrollIntoView({ block: "center", behavior: "auto" });
      mark.focus({ preventScroll: true });
    } else {
      els.articleText.textContent = text;
      if (quote) showError("The quoted passage is no longer in the stored article text.");
      els.article.focus();
    }
  }

  function closeArticle() {
    els.article.hidden = true;
    els.panes.classList.remove("with-article");
    if (articleOpener && document.body.contains(articleOpener)) articleOpener.focus();
    else els.question.focus();
  }

  // ---- asking (streamed) ----------------------------------------------------------------

  // The request body: the question with as much recent history as the server takes.
  function chatBody(question, filters) {
    const body = { model: "policyqa", stream: true, messages: [] };
    if (Object.keys(filters).length) body.filters = filters;
    let turns = history.slice(-MAX_HISTORY_TURNS);
    for (;;) {
      while (turns.length && turns[0].role !== "user") turns = turns.slice(1);
      body.messages = turns.concat([{ role: "user", content: question }]);
      const size = new TextEncoder().encode(JSON.stringify(body)).length;
      if (size <= MAX_BODY_BYTES || !turns.length) break;
      turns = turns.slice(2);
    }
    turnsLeftOut = history.length - turns.length;
    return body;
  }

  async function ask(question) {
    const body = chatBody(question, currentFilters());
    setBusy("Searching the articles and composing a cited answer…");
    const response = await fetch("/v1/chat/completions", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await failureFrom(response);

    showResult("Answer");
    els.answer.classList.add("streaming");
    setBusy("Receiving the answer…");
    let shown = "";
    let final = null;
    await readEvents(response, (data) => {
      if (data.error) throw new ApiFailure(500, data.error.message || "The answer failed.");
      const choice = (data.choices || [])[0];
      if (!choice) return;
      const piece = (choice.delta && choice.delta.content) || "";
      if (piece) {
        shown += piece;
        const cut = shown.indexOf(SOURCES_MARK);
        els.answer.textContent = cut >= 0 ? shown.slice(0, cut) : shown;
      }
      if (data.policyqa) final = data.policyqa;
    });
    els.answer.classList.remove("streaming");
    if (!final) throw new ApiFailure(502, "The answer stream ended early; ask again.");
    renderAnswer(final);
    history.push({ role: "user", content: question });
    history.push({ role: "assistant", content: final.answer });
    updateConversation();
    const n = (final.citations || []).length;
    setBusy("");
    els.status.textContent = final.refused ? "No cited answer found." :
      `Answer ready with ${n} citation${n === 1 ? "" : "s"}.`;
  }

  // Server-sent events from a fetch body: `data:` lines, events split by blank lines.
  async function readEvents(response, onData) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let boundary;
      while ((boundary = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = event.split("\n").filter((l) => l.startsWith("data:"))
          .map((l) => l.slice(5).replace(/^ /, "")).join("\n");
        if (!data) continue;
        if (data === "[DONE]") return;
        onData(JSON.parse(data));
      }
    }
  }

  async function search(query) {
    const params = new URLSearchParams({ q: query, k: "20" });
    const filters = currentFilters();
    for (const [name, value] of Object.entries(filters)) {
      for (const v of [].concat(value)) params.append(name, v);
    }
    setBusy("Searching…");
    const data = await getJson(`/search?${params}`);
    showResult("Passages");
    renderPassages(data.results);
    setBusy("");
    els.status.textContent = `${data.results.length} passages.`;
  }

  function updateConversation() {
    const turns = history.filter((t) => t.role === "user").length;
    els.conversationBar.hidden = turns === 0;
    let text = `${turns} question${turns === 1 ? "" : "s"} in this conversation`;
    if (turnsLeftOut > 0) {
      const older = Math.ceil(turnsLeftOut / 2);
      text += ` (the oldest ${older} ${older === 1 ? "is" : "are"} no longer sent with follow-ups)`;
    }
    els.conversationCount.textContent = text;
  }

  function mode() { return els.form.elements.mode.value; }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    const question = els.question.value.trim();
    if (!question) { els.question.focus(); return; }
    showError("");
    try {
      if (mode() === "search") await search(question);
      else await ask(question);
      els.result.focus({ preventScroll: false });
    } catch (error) {
      setBusy("");
      els.answer.classList.remove("streaming");
      showError(error instanceof ApiFailure ? error.message :
        "Could not reach the server. Check the connection and try again.");
      els.question.focus();
    }
  }

  // ---- API key --------------------------------------------------------------------------

  function askForKey() {
    if (els.keyDialog.open) return;
    els.keyInput.value = sessionStorage.getItem(KEY_STORAGE) || "";
    if (typeof els.keyDialog.showModal === "function") els.keyDialog.showModal();
    els.keyInput.focus();
  }

  els.keyDialog.addEventListener("close", () => {
    if (els.keyDialog.returnValue === "save") {
      const key = els.keyInput.value.trim();
      if (key) sessionStorage.setItem(KEY_STORAGE, key);
      else sessionStorage.removeItem(KEY_STORAGE);
      showError("");
      els.status.textContent = key ? "API key saved for this tab." : "API key removed.";
      if (key && !els.provinceList.options.length) loadProvinces();
    }
    els.question.focus();
  });

  // ---- wiring ---------------------------------------------------------------------------

  els.form.addEventListener("submit", onSubmit);
  els.question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      els.form.requestSubmit();
    }
  });
  for (const radio of els.form.elements.mode) {
    radio.addEventListener("change", () => {
      els.submit.textContent = mode() === "search" ? "Search" : "Ask";
    });
  }
  for (const input of [els.province, els.since, els.until, els.lang, els.site]) {
    input.addEventListener("change", updateFilterSummary);
  }
  els.clearFilters.addEventListener("click", () => {
    for (const input of [els.province, els.since, els.until, els.lang, els.site]) input.value = "";
    updateFilterSummary();
    els.province.focus();
  });
  els.newConversation.addEventListener("click", () => {
    history = [];
    turnsLeftOut = 0;
    updateConversation();
    els.question.value = "";
    els.question.focus();
  });
  els.closeArticle.addEventListener("click", closeArticle);
  els.article.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeArticle();
  });
  els.keyButton.addEventListener("click", askForKey);

  loadProvinces();
  els.question.focus();
})();
