// Styrbot's chat page: asks /api/v1/ask, shows each answer with its facts and sources, keeps the
// årshjul panel in step with the chosen municipality, and sends 👍/👎 to /api/v1/feedback.
//
// Everything that comes from the server (answers, quotes, titles, errors) is put on the page with
// textContent or as attribute values, never parsed as markup: a document may hold anything.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("ask");
  const input = $("question");
  const send = $("send");
  const status = $("status");
  const log = $("log");
  const select = $("municipality");
  const STORE = "styrbot-kommun";
  const UPCOMING = 8;
  const SOURCES_SHOWN = 3; // the rest of an answer's sources open on request
  const SLOW_MS = 4000; // after this long, the waiting line says why an answer may take a while
  const EXCERPT = 180; // characters of a cited passage shown before "Visa hela stycket"
  const MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    "september", "oktober", "november", "december"];
  const names = new Map(); // municipality id → name
  const newQuestion = $("new-question");
  const followHint = $("follow-hint");
  let asked = 0;
  let conversation = null; // the id the last answer returned: the next question follows it up
  let busy = false; // a question is on its way
  let yearShown = 0; // the newest årshjul request: older replies are dropped

  // A reason to show a person: ours, in Swedish. Anything else (a network TypeError's "Failed to
  // fetch") is replaced by the caller's own Swedish fallback.
  class Problem extends Error {}

  function reason(error, fallback) {
    return error instanceof Problem ? error.message : fallback;
  }

  // An element with text (never markup) and attributes.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined) node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child === null || child === undefined || child === "") continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  // A random id for this browser, so a changed vote replaces the earlier one (stored hashed).
  function clientId() {
    let id = null;
    try { id = localStorage.getItem("styrbot-klient"); } catch (e) { /* private mode */ }
    if (!id) {
      const bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      try { localStorage.setItem("styrbot-klient", id); } catch (e) { /* private mode */ }
    }
    return id;
  }

  function dayMonth(iso) {
    const [year, month, day] = iso.split("-").map(Number);
    return { year, text: `${day} ${MONTHS[month - 1]}` };
  }

  async function problem(response) {
    try {
      const body = await response.json();
      if (body && typeof body.detail === "string") return body.detail;
    } catch (e) { /* not JSON */ }
    return `Styrbot kunde inte svara (fel ${response.status}). Försök igen om en stund.`;
  }

  // Municipalities

  async function loadMunicipalities() {
    try {
      const response = await fetch("/api/v1/municipalities");
      if (!response.ok) throw new Problem(await problem(response));
      const body = await response.json();
      select.replaceChildren();
      for (const m of body.municipalities) {
        names.set(m.id, m.name);
        select.append(el("option", { value: m.id }, m.name));
      }
      const wanted = new URLSearchParams(location.search).get("kommun") || stored() || body.default;
      select.value = names.has(wanted) ? wanted : body.default;
      select.disabled = false;
      showYear();
    } catch (e) {
      status.textContent = reason(e, "Kunde inte hämta kommunerna. Ladda om sidan om en stund.");
    }
  }

  function stored() {
    try { return localStorage.getItem(STORE); } catch (e) { return null; }
  }

  select.addEventListener("change", () => {
    try { localStorage.setItem(STORE, select.value); } catch (e) { /* private mode */ }
    startAfresh(); // another municipality: a new conversation, nothing carried over
    showYear();
  });

  // Conversations: each answer returns an id; sent with the next question, that question is a follow-up
  // ("och i Strängnäs?"). "Ny fråga" starts afresh: the log is cleared and nothing is carried over.
  function startAfresh() {
    conversation = null;
    newQuestion.hidden = true;
    followHint.hidden = true;
  }

  newQuestion.addEventListener("click", () => {
    if (busy) return;
    startAfresh();
    log.replaceChildren();
    $("intro").hidden = false;
    status.textContent = "Ny fråga: Styrbot tar inte med något från de tidigare frågorna.";
    input.focus();
  });

  // Asking

  for (const example of document.querySelectorAll(".example")) {
    example.addEventListener("click", () => {
      input.value = example.textContent;
      form.requestSubmit();
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) {
      status.textContent = "Vänta på svaret innan du frågar igen.";
      return;
    }
    const question = input.value.trim();
    if (!question) {
      status.textContent = "Skriv en fråga först, till exempel: ”När ska delårsrapporten vara klar?”";
      input.focus();
      return;
    }
    const municipality = select.value || null;
    const item = el("li", { class: "exchange" },
      el("p", { class: "question" }, el("span", { class: "visually-hidden" }, "Din fråga: "), question));
    const waiting = el("p", { class: "waiting" }, "Styrbot letar i årshjulet, reglerna och dokumenten …");
    item.append(waiting);
    log.append(item);
    $("intro").hidden = true;
    input.value = "";
    busy = true;
    form.setAttribute("aria-busy", "true");
    send.setAttribute("aria-disabled", "true"); // still focusable: the keyboard keeps its place
    status.textContent = "Styrbot letar efter svaret …";
    item.scrollIntoView({ block: "end" });
    // The question goes back into the box to send again, unless something new was typed meanwhile.
    const keep = () => { if (!input.value) input.value = question; };
    // A first document question after a start reads in the documents: say so when the wait is long.
    const slow = setTimeout(() => {
      waiting.textContent = "Det tar längre tid än vanligt. Första frågan efter en omstart kan ta upp till en halv minut, medan dokumenten läses in …";
    }, SLOW_MS);
    try {
      const response = await fetch("/api/v1/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(conversation ? { question, municipality, conversation_id: conversation }
          : { question, municipality }),
      });
      if (!response.ok) {
        // the reason is read out once, from the log; the status line only says that it failed
        waiting.replaceWith(el("p", { class: "error" }, await problem(response)));
        status.textContent = "Frågan kunde inte besvaras. Frågan finns kvar i rutan.";
        keep();
        return;
      }
      const answer = await response.json();
      waiting.replaceWith(renderAnswer(answer));
      status.textContent = "Svaret är klart.";
      if (answer.conversation_id) {
        conversation = answer.conversation_id;
        newQuestion.hidden = false;
        followHint.hidden = false;
      }
    } catch (e) {
      waiting.replaceWith(el("p", { class: "error" },
        "Kunde inte nå Styrbot. Kontrollera anslutningen och försök igen."));
      status.textContent = "Frågan kunde inte skickas. Frågan finns kvar i rutan.";
      keep();
    } finally {
      clearTimeout(slow);
      busy = false;
      form.removeAttribute("aria-busy");
      send.removeAttribute("aria-disabled");
      // back to the question box, unless the person has moved on to something else meanwhile
      if (!document.activeElement || document.activeElement === document.body || document.activeElement === send) {
        input.focus();
      }
      item.scrollIntoView({ block: "end" });
    }
  });

  function renderAnswer(answer) {
    asked += 1;
    const id = `svar-${asked}`;
    const article = el("article", { class: answer.abstained ? "answer abstained" : "answer", "aria-labelledby": id });
    article.append(el("h3", { class: "visually-hidden", id }, "Svar"));
    // a follow-up as Styrbot understood it, so that a misreading shows at once
    if (answer.followup) article.append(el("p", { class: "understood" }, `Tolkat som: ”${answer.followup.understood_as}”`));
    article.append(el("p", { class: "answer-text" }, answer.answer));
    if (answer.fact_rows && answer.fact_rows.length) {
      const facts = el("dl", { class: "facts" });
      for (const row of answer.fact_rows) facts.append(el("dt", {}, row.label), el("dd", {}, row.value));
      article.append(facts);
    }
    if (answer.citations.length) {
      article.append(el("h4", { class: "sources-title" }, "Källor"));
      const list = el("ol", { class: "sources" });
      answer.citations.forEach((citation, index) => list.append(renderSource(citation, `${id}-kalla-${index + 1}`)));
      article.append(list);
      const hidden = Array.from(list.children).slice(SOURCES_SHOWN);
      if (hidden.length) {
        for (const item of hidden) item.hidden = true;
        const more = el("button", { type: "button", class: "more-sources", "aria-expanded": "false" },
          hidden.length === 1 ? "Visa en källa till" : `Visa ${hidden.length} källor till`);
        more.addEventListener("click", () => {
          for (const item of hidden) item.hidden = false;
          more.remove();
          hidden[0].querySelector("a, .source-name").focus();
        });
        article.append(more);
      }
    }
    article.append(renderFeedback(answer));
    return article;
  }

  // A source: its name (a link to the original at its page), where in it, and the start of the cited passage;
  // the whole passage (a slide's keyword list, a page of a report) opens on request.
  function renderSource(citation, id) {
    const name = citation.title || citation.source;
    const heading = citation.url
      ? el("a", { href: citation.url, target: "_blank", rel: "noopener" }, name,
        el("span", { class: "visually-hidden" }, " (öppnas i en ny flik)"))
      : el("span", { class: "source-name", tabindex: "-1" }, name);
    const item = el("li", { class: "source" }, heading);
    // where in the source, as every channel says it (bot.facts.where)
    if (citation.where) item.append(el("span", { class: "where" }, ` – ${citation.where}`));
    if (!citation.text) return item;
    const short = excerpt(citation.text);
    const quote = el("blockquote", { id }, short);
    item.append(quote);
    if (short !== citation.text) {
      const toggle = el("button", { type: "button", class: "whole", "aria-expanded": "false", "aria-controls": id },
        "Visa hela stycket");
      toggle.addEventListener("click", () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        quote.textContent = open ? citation.text : short;
        quote.classList.toggle("open", open);
        toggle.setAttribute("aria-expanded", String(open));
        toggle.textContent = open ? "Visa mindre" : "Visa hela stycket";
      });
      item.append(toggle);
    }
    return item;
  }

  // The first words of a passage on one line, cut at a word (the whole text stays a click away).
  function excerpt(text) {
    const flat = text.split(/\s+/).join(" ").trim();
    if (flat.length <= EXCERPT) return text;
    return `${flat.slice(0, EXCERPT).replace(/\s+\S*$/, "")} …`;
  }

  function renderFeedback(answer) {
    const ref = `${Date.now().toString(36)}-${asked}-${Math.random().toString(36).slice(2, 10)}`;
    const label = el("span", { class: "feedback-label", id: `fraga-${ref}` }, "Var svaret till hjälp?");
    const group = el("div", { class: "feedback", role: "group", "aria-labelledby": label.id });
    const said = el("span", { class: "feedback-status", role: "status" });
    const up = el("button", { type: "button", "aria-pressed": "false", class: "vote-up" },
      el("span", { "aria-hidden": "true" }, "👍 "), "Ja");
    const down = el("button", { type: "button", "aria-pressed": "false", class: "vote-down" },
      el("span", { "aria-hidden": "true" }, "👎 "), "Nej");
    async function vote(choice, button, other) {
      try {
        const response = await fetch("/api/v1/feedback", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            answer: ref, vote: choice, client: clientId(), question: answer.question, kind: answer.kind,
            municipality: answer.municipality || "",
            sources: answer.citations.slice(0, 5).map((c) => (c.page ? `${c.source}#${c.page}` : c.source)),
          }),
        });
        if (!response.ok) throw new Problem(await problem(response));
        button.setAttribute("aria-pressed", "true");
        other.setAttribute("aria-pressed", "false");
        said.textContent = choice === "up" ? "Tack för din återkoppling!" : "Tack! Det hjälper oss att göra svaren bättre.";
      } catch (e) {
        said.textContent = reason(e, "Återkopplingen kunde inte sparas. Försök igen om en stund.");
      }
    }
    up.addEventListener("click", () => vote("up", up, down));
    down.addEventListener("click", () => vote("down", down, up));
    group.append(label, up, down, said);
    return group;
  }

  // The årshjul panel

  async function showYear() {
    const m = select.value;
    if (!m) return;
    const mine = ++yearShown;
    const name = names.get(m) || m;
    const year = new Date().getFullYear();
    const wheel = $("wheel");
    wheel.src = `/api/v1/wheel/${encodeURIComponent(m)}.png`;
    wheel.alt = `Årshjulet för ${name} ${year}: årets månader med fristerna utplacerade och dagens datum markerat. Fristerna finns också i listan nedanför.`;
    $("wheel-caption").textContent = `Årshjulet för ${name}`;
    $("calendar").href = `/api/v1/calendar/${encodeURIComponent(m)}.ics`;
    const list = $("upcoming");
    list.replaceChildren(el("li", {}, "Hämtar frister …"));
    try {
      const response = await fetch(`/api/v1/deadlines?municipality=${encodeURIComponent(m)}&days=120`);
      if (!response.ok) throw new Problem(await problem(response));
      const items = (await response.json()).filter((item) => item.date).slice(0, UPCOMING);
      if (mine !== yearShown) return; // another municipality was chosen meanwhile
      list.replaceChildren();
      for (const item of items) {
        const when = dayMonth(item.date);
        const label = item.precision === "month" ? `i ${when.text.split(" ")[1]}` : when.text;
        const who = item.who || null;
        list.append(el("li", {},
          el("time", { datetime: item.date }, label), " ",
          el("span", { class: "event" }, item.event),
          who ? el("span", { class: "who" }, ` (${who})`) : null));
      }
      if (!items.length) list.append(el("li", {}, "Inga frister de närmaste fyra månaderna."));
    } catch (e) {
      if (mine === yearShown) list.replaceChildren(el("li", {}, reason(e, "Kunde inte hämta fristerna.")));
    }
  }

  // The wheel opens large in a dialog (Esc or "Stäng" closes it, and the focus goes back to the button).
  const dialog = $("wheel-dialog");
  const opener = $("wheel-open");
  opener.addEventListener("click", () => {
    $("wheel-large").src = $("wheel").src;
    $("wheel-large").alt = $("wheel").alt;
    $("wheel-full").href = $("wheel").src;
    dialog.showModal();
  });
  $("wheel-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
  dialog.addEventListener("close", () => opener.focus());

  loadMunicipalities();
})();
