// The administrators' page for a new municipality's profile: upload its documents, review the draft,
// accept entries. Every text from the server is set as text, never as markup. The token stays in the field.
"use strict";

const API = "/api/v1/profiles";
const $ = (id) => document.getElementById(id);
let current = null; // the municipality whose draft is shown

function headers(extra = {}) {
  return { Authorization: `Bearer ${$("token").value.trim()}`, ...extra };
}

async function problem(response) {
  try {
    const body = await response.json();
    return body.detail || `Fel ${response.status}.`;
  } catch {
    return `Fel ${response.status}.`;
  }
}

function say(id, text, failed = false) {
  const place = $(id);
  place.textContent = text;
  place.classList.toggle("error", failed);
}

function busy(form, on) {
  for (const button of form.querySelectorAll("button")) button.disabled = on;
  form.setAttribute("aria-busy", on ? "true" : "false");
}

function element(tag, text, className) {
  const made = document.createElement(tag);
  if (text !== undefined && text !== null) made.textContent = text;
  if (className) made.className = className;
  return made;
}

function where(entry) {
  return [entry.document, entry.page ? `s. ${entry.page}` : "", entry.section || ""].filter(Boolean).join(", ");
}

function entryItem(entry) {
  const item = element("li", null, "entry");
  const label = element("label");
  const box = element("input");
  box.type = "checkbox";
  box.name = "entry";
  box.value = entry.id;
  box.checked = entry.confirmed;
  box.disabled = entry.confirmed;
  label.append(box, element("span", `${entry.kind === "event" ? "Händelse" : "Beslut"}: ${entry.text}`, "what"));
  item.append(label);
  const facts = element("dl");
  const rows = [
    ["Vem", entry.who || "framgår inte"],
    [entry.kind === "event" ? "När" : "Får delegeras", entry.kind === "event" ? entry.when || "–"
      : entry.delegable === true ? "ja" : entry.delegable === false ? "nej" : "framgår inte"],
    ["Källa", where(entry)],
  ];
  if (entry.replaces) rows.push(["Ersätter", `lagens regel ${entry.replaces}`]);
  for (const [term, value] of rows) facts.append(element("dt", term), element("dd", value));
  item.append(facts, element("blockquote", entry.quote));
  if (entry.doubt) item.append(element("p", `Osäker: ${entry.doubt}`, "doubt"));
  if (entry.confirmed) item.append(element("p", "Godkänd", "done"));
  return item;
}

function show(draft) {
  current = draft.municipality;
  $("review").hidden = false;
  $("summary").textContent =
    `${draft.name}: ${draft.events} händelser och ${draft.decisions} beslut, ${draft.confirmed} godkända, ` +
    `${draft.doubts} att granska särskilt` +
    (draft.role_principle ? "; rollfördelningen finns med." : "; dokumenten säger inget om VAD/NÄR och HUR/VEM.");
  const files = $("files-read");
  files.replaceChildren(...draft.files.map((file) =>
    element("li", file.error ? `${file.file}: ${file.error}` : `${file.file}: läst`, file.error ? "failed" : "")));
  $("entries").replaceChildren(...draft.entries.map(entryItem));
  $("ask-link").href = `/?kommun=${encodeURIComponent(draft.municipality)}`;
}

async function makeDraft(event) {
  event.preventDefault();
  const form = $("draft-form");
  const id = $("municipality-id").value.trim();
  if (!$("token").value.trim()) return say("draft-status", "Fyll i administratörsnyckeln.", true);
  if (!/^[a-z][a-z0-9_]{1,39}$/.test(id)) return say("draft-status", "Kommunens id: små bokstäver a–z, siffror och understreck.", true);
  if (!$("files").files.length) return say("draft-status", "Välj minst ett dokument.", true);
  const body = new FormData();
  body.append("municipality", id);
  body.append("name", $("municipality-name").value.trim());
  for (const file of $("files").files) body.append("files", file);
  busy(form, true);
  say("draft-status", "Läser dokumenten och gör utkastet … det kan ta en halv minut.");
  try {
    const response = await fetch(API, { method: "POST", headers: headers(), body });
    if (!response.ok) return say("draft-status", await problem(response), true);
    const draft = await response.json();
    say("draft-status", "Utkastet är klart. Granska det nedan.");
    show(draft);
    $("review-title").focus();
  } catch {
    say("draft-status", "Servern svarade inte. Försök igen.", true);
  } finally {
    busy(form, false);
  }
}

async function openDraft() {
  const id = $("municipality-id").value.trim();
  if (!$("token").value.trim() || !id) return say("draft-status", "Fyll i administratörsnyckeln och kommunens id.", true);
  const response = await fetch(`${API}/${encodeURIComponent(id)}`, { headers: headers() });
  if (!response.ok) return say("draft-status", await problem(response), true);
  say("draft-status", "");
  show(await response.json());
  $("review-title").focus();
}

async function acceptEntries(all) {
  const form = $("accept-form");
  const chosen = [...form.querySelectorAll("input[name=entry]:checked:not(:disabled)")].map((box) => box.value);
  if (!all && !chosen.length) return say("accept-status", "Markera de poster som ska godkännas.", true);
  busy(form, true);
  try {
    const response = await fetch(`${API}/${encodeURIComponent(current)}/accept`, {
      method: "POST",
      headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify(all ? { all: true } : { entries: chosen }),
    });
    if (!response.ok) return say("accept-status", await problem(response), true);
    const draft = await response.json();
    show(draft);
    say("accept-status", `Godkänt. ${draft.confirmed} av ${draft.entries.length} poster är godkända och används i svaren.`);
  } catch {
    say("accept-status", "Servern svarade inte. Försök igen.", true);
  } finally {
    busy(form, false);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("review-title").tabIndex = -1;
  $("draft-form").addEventListener("submit", makeDraft);
  $("open-draft").addEventListener("click", openDraft);
  $("accept-form").addEventListener("submit", (event) => { event.preventDefault(); acceptEntries(false); });
  $("accept-all").addEventListener("click", () => acceptEntries(true));
});
