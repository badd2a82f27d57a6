// The state inspector: polls /_emulator/inspector/state and draws it. Plain DOM, no build
// step, nothing fetched from anywhere but this server. Text from the store is only ever set
// as text (never parsed as HTML).
"use strict";

const ADMIN = "/_emulator";
const POLL_MS = 1000;
const page = {
  data: null,
  text: "",
  key: new URLSearchParams(location.search).get("key") || localStorage.getItem("inspector.key") || "",
  timer: null,
  asked: 0, // refreshes started: only the latest one's answer is drawn
};

// --- small helpers -------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const $ = (id) => document.getElementById(id);

function fill(el, nodes) {
  el.replaceChildren(...[nodes].flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false));
}

function iso(t) {
  return t === null || t === undefined ? "" : new Date(t * 1000).toISOString().replace(".000Z", "Z");
}

function clockTime(t) {
  return t === null || t === undefined ? "—" : iso(t).slice(11, 19);
}

function when(t) {
  return h("time", { datetime: iso(t), title: iso(t) }, clockTime(t));
}

function shortId(id) {
  return id && id.length > 16 ? id.slice(0, 12) + "…" + id.slice(-4) : id;
}

function badge(status) {
  return h("span", { class: "badge", style: `background: var(--${status}, var(--queued))` }, status);
}

function fileUrl(fileId, download) {
  const file = page.files.get(fileId);
  const params = new URLSearchParams();
  if (page.key) params.set("key", page.key);
  if (file) params.set("b", file.bytes); // a different file under a reused id (after a reset) is fetched again
  if (download) params.set("download", "1");
  return `${ADMIN}/inspector/files/${encodeURIComponent(fileId)}/content?${params}`;
}

function fileLink(fileId, label) {
  const file = page.files.get(fileId);
  if (!file) return h("span", { class: "mono", title: "no such file (deleted?)" }, label || fileId, " (gone)");
  return h("a", { href: fileUrl(fileId, true), download: file.filename, title: fileId }, label || file.filename);
}

function image(fileId, alt) {
  return h("img", { src: fileUrl(fileId), alt: alt || fileId, loading: "lazy", "data-file-id": fileId });
}

function pretty(json) {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

function kv(pairs) {
  return h("dl", { class: "kv" }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

// --- where we are: #/threads/ID[/runs/ID], #/conversations/ID, #/responses/ID, #/assistants, ... ---

function route() {
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  if (parts[0] === "threads" && parts[1]) return { view: "thread", thread: parts[1], run: parts[3] || null };
  if (parts[0] === "conversations" && parts[1]) return { view: "conversation", id: parts[1] };
  if (parts[0] === "responses" && parts[1]) return { view: "response", id: parts[1] };
  if (["assistants", "agents", "files", "vector-stores"].includes(parts[0])) return { view: parts[0] };
  const data = page.data || { threads: [], conversations: [], responses: [] };
  const last = (list) => list[list.length - 1].id;
  if (data.threads.length) return { view: "thread", thread: last(data.threads), run: null };
  if (data.conversations.length) return { view: "conversation", id: last(data.conversations) };
  return data.responses.length ? { view: "response", id: last(data.responses) } : { view: "empty" };
}

const threadHref = (threadId, runId) =>
  `#/threads/${encodeURIComponent(threadId)}` + (runId ? `/runs/${encodeURIComponent(runId)}` : "");

// --- drawing ---------------------------------------------------------------------------

function render(navigated) {
  const data = page.data;
  page.files = new Map(data.files.map((f) => [f.id, f]));
  const where = route();
  drawTopbar(data.emulator);
  const scroll = { main: $("main").scrollTop, side: $("side").scrollTop };
  fill($("nav"), drawNav(data, where));
  const thread = where.view === "thread" ? data.threads.find((t) => t.id === where.thread) : null;
  const chat = where.view === "conversation" || where.view === "response" ? drawResponsesView(where, data) : null;
  if (where.view === "thread" && thread) {
    fill($("main"), drawThread(thread, data));
    fill($("side"), drawRuns(thread, where.run, data));
  } else if (chat) {
    fill($("main"), chat[0]);
    fill($("side"), chat[1]);
  } else {
    const views = { assistants: drawAssistants, agents: drawAgents, files: drawFiles, "vector-stores": drawStores };
    fill($("main"), (views[where.view] || drawEmpty)(data, where));
    fill($("side"), []);
  }
  document.body.classList.toggle("no-side", !thread && !chat);
  $("main").scrollTop = navigated ? 0 : scroll.main;
  $("side").scrollTop = navigated ? 0 : scroll.side;
  document.body.dataset.ready = "1";
}

function drawTopbar(emu) {
  $("clock").textContent = iso(emu.time).replace("T", " ");
  $("clock-kind").textContent = emu.clock;
  const virtual = emu.clock === "virtual";
  $("advance").querySelector("button").disabled = !virtual;
  $("advance").title = virtual ? "Move the virtual clock forward (POST /_emulator/clock/advance)"
    : "The clock is the system's: start the server with --clock virtual to move it";
  const keyBox = $("key-box");
  keyBox.hidden = !emu.keys;
  if (emu.keys) {
    const select = $("key");
    const wanted = emu.keys.join("\n");
    if (select.dataset.keys !== wanted) {
      select.replaceChildren(...emu.keys.map((k) => h("option", { value: k }, k)));
      select.dataset.keys = wanted;
    }
    select.value = emu.key;
  }
  const pending = emu.faults.runs.reduce((n, f) => n + f.remaining, 0);
  const faultButton = $("fault").querySelector("button");
  faultButton.textContent = pending ? `Fail next run (${pending} pending)` : "Fail next run";
}

function drawNav(data, where) {
  const out = [h("div", { class: "section" }, `Threads `, h("span", { class: "count" }, data.threads.length))];
  if (!data.threads.length) out.push(h("div", { class: "empty" }, "none yet"));
  for (const thread of [...data.threads].reverse()) {
    const last = thread.runs[thread.runs.length - 1];
    const first = thread.messages.find((m) => m.content.some((p) => p.type === "text"));
    const snippet = first ? first.content.find((p) => p.type === "text").text.value : "(no messages)";
    const selected = where.view === "thread" && where.thread === thread.id;
    out.push(h("a", { href: threadHref(thread.id), class: selected ? "selected" : null, "data-thread": thread.id },
      h("div", { class: "line" }, h("span", { class: "mono" }, shortId(thread.id)), last ? badge(last.status) : null),
      h("div", { class: "snippet" }, snippet)));
  }
  out.push(drawResponsesNav(data, where));
  const other = [["assistants", "Assistants", data.assistants.length], ["agents", "Agents", data.agents.length],
    ["files", "Files", data.files.length],
    ["vector-stores", "Vector stores", data.vector_stores.length]];
  out.push(h("div", { class: "section" }, "Other objects"));
  for (const [view, label, count] of other) {
    out.push(h("a", { href: `#/${view}`, class: where.view === view ? "selected" : null },
      h("div", { class: "line" }, label, h("span", { class: "count" }, count))));
  }
  return out;
}

function drawEmpty() {
  return [h("h2", {}, "Nothing here yet"),
    h("p", { class: "hint" }, "Create an assistant, a thread and a run, or a conversation and a response, with any ",
      "OpenAI client pointed at ", h("code", {}, `${location.origin}/v1`), "; they show up here as they happen.")];
}

// --- a thread as a chat ------------------------------------------------------------------

function drawThread(thread, data) {
  const names = new Map(data.assistants.map((a) => [a.id, a.name || a.id]));
  const head = h("div", { class: "thread-head" }, h("h2", {}, "Thread"), h("span", { class: "mono" }, thread.id),
    h("span", { class: "meta" }, "created ", when(thread.created_at), ` · ${thread.messages.length} messages · `,
      `${thread.runs.length} runs`));
  const chat = h("div", { class: "chat" }, thread.messages.map((m) => drawMessage(m, thread, names)));
  if (!thread.messages.length) chat.append(h("p", { class: "hint" }, "No messages."));
  return [head, chat];
}

function drawMessage(message, thread, names) {
  const who = message.role === "assistant" && message.assistant_id ? names.get(message.assistant_id) : null;
  const header = h("header", {}, h("span", { class: "role" }, message.role), who ? `· ${who}` : null, when(message.created_at),
    message.run_id ? h("a", { href: threadHref(thread.id, message.run_id), class: "mono" }, shortId(message.run_id)) : null,
    message.status !== "completed" ? badge(message.status) : null);
  const parts = message.content.map((part) => drawPart(part, message));
  const attachments = message.attachments.length
    ? h("div", { class: "attachments" }, "Attachments: ",
      message.attachments.map((a, i) => [i ? ", " : "", fileLink(a.file_id), ` (${a.tools.map((t) => t.type).join(", ")})`]))
    : null;
  return h("article", { class: `msg ${message.role}`, id: `msg-${message.id}`, "data-message": message.id },
    header, parts, attachments);
}

function drawPart(part, message) {
  if (part.type === "text") {
    const text = h("div", { class: "text" }, part.segments.map((s) => drawSegment(s, message)));
    const notes = part.footnotes.length ? h("ol", { class: "footnotes" }, part.footnotes.map((n) => drawFootnote(n, message))) : null;
    return [text, notes];
  }
  if (part.type === "image_file") {
    const file = page.files.get(part.image_file.file_id);
    return h("figure", {}, image(part.image_file.file_id, file ? file.filename : "image"),
      h("figcaption", {}, fileLink(part.image_file.file_id)));
  }
  if (part.type === "image_url") {
    // not loaded: the inspector fetches nothing from outside this server
    return h("p", { class: "meta" }, "image_url: ", h("span", { class: "mono" }, part.image_url.url));
  }
  if (part.type === "refusal") return h("p", { class: "refusal" }, "Refusal: ", part.refusal);
  return h("pre", {}, JSON.stringify(part, null, 2));
}

function drawSegment(segment, message) {
  if (!segment.note) return segment.text;
  const mark = h("sup", {}, h("a", { href: `#note-${message.id}-${segment.note}`, title: segment.text,
    onclick: (e) => { e.preventDefault(); document.getElementById(`note-${message.id}-${segment.note}`).scrollIntoView({ block: "nearest" }); } },
  `[${segment.note}]`));
  if (segment.type === "file_path") return [fileLink(segment.file_id, segment.text), mark];
  return mark; // a citation's marker text (【4:0†source】) is what the footnote stands for
}

function webUrl(url) {
  // only an http(s) URL is a link: a `javascript:` or `data:` one (a script's result can be
  // anything, even the user's text) would run in this page's origin when clicked
  try {
    return ["http:", "https:"].includes(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

function drawFootnote(note, message) {
  // a url_citation's page is linked, never fetched by the inspector
  const href = note.url ? webUrl(note.url) : null;
  const file = note.file_id ? fileLink(note.file_id)
    : href ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, note.title || note.url)
      : note.url ? h("span", { class: "mono", title: "not an http(s) URL: not linked" }, note.title || note.url) : null;
  const what = note.type === "file_citation" ? "cites" : note.type === "file_path" ? "file" : note.type;
  return h("li", { id: `note-${message.id}-${note.note}`, value: note.note },
    `${what} `, file, note.file_id ? h("span", { class: "mono" }, ` ${note.file_id}`) : null,
    note.text ? h("span", {}, ` — “${note.text}”`) : null);
}

// --- runs: their timelines, and one run's steps ---------------------------------------------

function drawTimeline(timeline) {
  return h("ol", { class: "timeline" }, timeline.map((e) => h("li", {},
    h("div", { class: "point", title: [e.source ? `from ${e.source}` : null, e.note].filter(Boolean).join(" — ") },
      badge(e.status),
      e.at === null ? h("time", { class: "unknown" }, "not recorded") : when(e.at)))));
}

function runProblems(run) {
  const out = [];
  if (run.last_error) {
    out.push(h("div", { class: "error-box" }, h("strong", {}, `last_error: ${run.last_error.code}`), " — ", run.last_error.message));
  }
  if (run.required_action) {
    // submit_tool_outputs (function calls), or Foundry's submit_tool_approval (MCP calls), or
    // whatever else a run may wait for: its type names where its tool_calls are
    const kind = run.required_action.type;
    const calls = (run.required_action[kind] || {}).tool_calls || [];
    out.push(h("div", { class: "action-box" }, h("strong", {}, `required_action: ${kind}`),
      calls.map((c) => h("div", {}, h("code", {}, requiredCall(c)), h("span", { class: "meta" }, ` ${c.id}`)))));
  }
  if (run.incomplete_details) out.push(h("div", { class: "action-box" }, `incomplete: ${run.incomplete_details.reason}`));
  return out;
}

function requiredCall(call) {
  if (call.function) return `${call.function.name}(${call.function.arguments})`;
  const name = call.name || call.type;
  return `${call.server_label ? `${call.server_label}.` : ""}${name}(${call.arguments || ""})`;
}

function drawRuns(thread, runId, data) {
  const run = runId ? thread.runs.find((r) => r.id === runId) : null;
  if (run) return drawRun(run, thread, data);
  const out = [h("h2", {}, "Runs ", h("span", { class: "count" }, thread.runs.length))];
  if (!thread.runs.length) out.push(h("p", { class: "hint" }, "No runs on this thread yet."));
  for (const r of [...thread.runs].reverse()) {
    out.push(h("a", { class: "card run", href: threadHref(thread.id, r.id), "data-run": r.id },
      h("div", { class: "card-head" }, h("span", { class: "mono" }, r.id), badge(r.status),
        r.executing ? h("span", { class: "badge light" }, "code running") : null),
      h("div", { class: "meta" }, `${r.model} · ${r.steps.length} steps · created `, when(r.created_at)),
      drawTimeline(r.timeline), runProblems(r)));
  }
  return out;
}

function drawRun(run, thread, data) {
  const assistant = data.assistants.find((a) => a.id === run.assistant_id);
  const usage = run.usage ? `${run.usage.prompt_tokens} prompt + ${run.usage.completion_tokens} completion = ${run.usage.total_tokens}` : null;
  return [
    h("a", { class: "back", href: threadHref(thread.id) }, "← all runs of this thread"),
    h("div", { class: "card selected run-detail", "data-run": run.id },
      h("div", { class: "card-head" }, h("span", { class: "mono" }, run.id), badge(run.status),
        run.executing ? h("span", { class: "badge light" }, "code running") : null),
      drawTimeline(run.timeline), runProblems(run),
      kv([["assistant", assistant ? `${assistant.name || ""} ${assistant.id}` : run.assistant_id], ["model", run.model],
        ["tools", run.tools.map((t) => t.type === "function" ? `function ${t.function.name}` : t.type).join(", ") || "none"],
        ["expires_at", run.expires_at ? iso(run.expires_at) : null], ["progression", run.progression],
        ["usage", usage], ["instructions", run.instructions]])),
    h("h3", {}, `Steps (${run.steps.length})`),
    run.steps.length ? run.steps.map((s) => drawStep(s)) : h("p", { class: "hint" }, "No steps yet."),
  ];
}

function drawStep(step) {
  const details = step.step_details;
  const body = details.type === "message_creation"
    ? h("div", {}, "Created message ", h("a", { href: `#msg-${details.message_creation.message_id}`, class: "mono",
      onclick: (e) => { e.preventDefault(); showMessage(details.message_creation.message_id); } },
    details.message_creation.message_id))
    : details.tool_calls.map(drawToolCall);
  const ended = step.completed_at || step.failed_at || step.cancelled_at || (step.status === "expired" && step.expires_at);
  return h("div", { class: "card step", "data-step": step.id },
    h("div", { class: "card-head" }, h("span", { class: "mono" }, step.id), badge(step.status),
      h("span", { class: "meta" }, details.type === "tool_calls" ? "tool calls" : "message creation")),
    h("div", { class: "meta" }, when(step.created_at), ended ? [" → ", when(ended)] : null,
      step.usage ? ` · ${step.usage.total_tokens} tokens` : null),
    step.last_error ? h("div", { class: "error-box" }, `${step.last_error.code} — ${step.last_error.message}`) : null,
    body);
}

function drawToolCall(call) {
  if (call.type === "code_interpreter") {
    const outputs = call.code_interpreter.outputs.map((o) => o.type === "logs"
      ? [h("h3", {}, "logs"), h("pre", { class: "logs" }, o.logs)]
      : [h("h3", {}, "image"), image(o.image.file_id, "code_interpreter image"), h("div", { class: "meta" }, fileLink(o.image.file_id))]);
    return h("div", { class: "tool code" }, h("h3", {}, "code_interpreter input"), h("pre", { class: "code" }, call.code_interpreter.input), outputs);
  }
  if (call.type === "function") {
    const f = call.function;
    return h("div", { class: "tool function" }, h("h3", {}, `function ${f.name}`), h("pre", {}, pretty(f.arguments)),
      h("h3", {}, "output"), f.output === null || f.output === undefined ? h("p", { class: "meta" }, "waiting for tool outputs") : h("pre", {}, pretty(f.output)));
  }
  if (call.type === "file_search") {
    const results = call.file_search.results || [];
    return h("div", { class: "tool file-search" }, h("h3", {}, `file_search · ${results.length} results`),
      results.length ? h("table", {}, h("tr", {}, h("th", {}, "file"), h("th", {}, "score"), h("th", {}, "content")),
        results.map((r) => h("tr", {}, h("td", {}, fileLink(r.file_id, r.file_name)), h("td", {}, r.score.toFixed(3)),
          h("td", {}, (r.content || []).map((c) => c.text).join("\n").slice(0, 400) || "—")))) : null);
  }
  return h("pre", {}, JSON.stringify(call, null, 2));
}

function showMessage(messageId) {
  const el = document.getElementById(`msg-${messageId}`);
  if (!el) return;
  el.scrollIntoView({ block: "center", behavior: "smooth" });
  el.classList.add("highlight");
  setTimeout(() => el.classList.remove("highlight"), 1500);
}

// --- the other objects ----------------------------------------------------------------------

function drawAssistants(data) {
  const out = [h("h2", {}, `Assistants (${data.assistants.length})`)];
  for (const a of [...data.assistants].reverse()) {
    out.push(h("div", { class: "card" }, h("div", { class: "card-head" }, h("strong", {}, a.name || "(no name)"),
      h("span", { class: "mono meta" }, a.id)),
    kv([["model", a.model], ["created", iso(a.created_at)], ["instructions", a.instructions],
      ["tools", a.tools.map((t) => t.type === "function" ? `function ${t.function.name}` : t.type).join(", ") || "none"],
      ["tool_resources", Object.keys(a.tool_resources || {}).length ? JSON.stringify(a.tool_resources) : null],
      ["metadata", Object.keys(a.metadata).length ? JSON.stringify(a.metadata) : null]])));
  }
  return out;
}

// the new Foundry agents (azure-ai-projects 2.x): each with its versions, newest first, and its endpoint's traffic split
function drawAgents(data) {
  const out = [h("h2", {}, `Agents (${data.agents.length})`)];
  for (const a of [...data.agents].reverse()) {
    const rules = (((a.agent_endpoint || {}).version_selector || {}).version_selection_rules || []);
    const split = rules.map((r) => `v${r.agent_version}: ${r.traffic_percentage}%`).join(", ");
    out.push(h("div", { class: "card", "data-agent": a.name }, h("div", { class: "card-head" }, h("strong", {}, a.name),
      h("span", { class: "meta" }, `${a.versions.length} versions · created `, when(a.created_at))),
    kv([["endpoint", split || "latest version"], ["agent card", a.agent_card ? JSON.stringify(a.agent_card) : null]]),
    [...a.versions].reverse().map((v) => {
      const { kind, model, instructions, tools, ...rest } = v.definition;
      return h("div", { class: "card", "data-agent-version": v.id }, h("div", { class: "card-head" },
        h("strong", {}, `version ${v.version}`), h("span", { class: "mono meta" }, v.id), h("span", { class: "pill" }, kind)),
      kv([["created", iso(v.created_at)], ["description", v.description || null], ["model", model],
        ["instructions", instructions], ["tools", (tools || []).map((t) => t.type === "function" ? `function ${t.name}` : t.type).join(", ") || "none"],
        ["definition", Object.keys(rest).length ? JSON.stringify(rest) : null],
        ["metadata", Object.keys(v.metadata).length ? JSON.stringify(v.metadata) : null]]));
    })));
  }
  if (!data.agents.length) out.push(h("p", { class: "hint" }, "No agents."));
  return out;
}

function drawFiles(data) {
  const rows = [...data.files].reverse().map((f) => h("tr", { "data-file": f.id },
    h("td", {}, f.mime.startsWith("image/") && f.mime !== "image/svg+xml" ? h("img", { class: "thumb", src: fileUrl(f.id), alt: f.filename }) : null),
    h("td", {}, fileLink(f.id), h("div", { class: "mono meta" }, f.id)), h("td", {}, f.purpose, f.api_downloadable ? null
      : h("div", { class: "meta", title: "GET /v1/files/{id}/content refuses this purpose" }, "API: no download")),
    h("td", {}, `${f.bytes.toLocaleString()} B`), h("td", {}, when(f.created_at)), h("td", {}, f.status)));
  return [h("h2", {}, `Files (${data.files.length})`), data.files.length
    ? h("table", {}, h("tr", {}, ["", "file", "purpose", "size", "created", "status"].map((c) => h("th", {}, c))), rows)
    : h("p", { class: "hint" }, "No files.")];
}

function drawStores(data) {
  const out = [h("h2", {}, `Vector stores (${data.vector_stores.length})`)];
  for (const vs of [...data.vector_stores].reverse()) {
    const counts = vs.file_counts;
    out.push(h("div", { class: "card", "data-vector-store": vs.id },
      h("div", { class: "card-head" }, h("strong", {}, vs.name || "(no name)"), h("span", { class: "mono meta" }, vs.id), badge(vs.status)),
      h("div", { class: "meta" }, `${counts.completed} completed · ${counts.in_progress} in progress · ${counts.failed} failed · `,
        `${counts.cancelled} cancelled · ${vs.usage_bytes.toLocaleString()} B · created `, when(vs.created_at)),
      vs.files.length ? h("table", {}, h("tr", {}, ["file", "status", "last_error"].map((c) => h("th", {}, c))),
        vs.files.map((f) => h("tr", {}, h("td", {}, fileLink(f.id, f.filename || f.id)), h("td", {}, badge(f.status)),
          h("td", {}, f.last_error ? `${f.last_error.code}: ${f.last_error.message}` : "")))) : null,
      vs.batches.length ? h("div", { class: "meta" }, "Batches: ", vs.batches.map((b) => `${b.id} (${b.status})`).join(", ")) : null));
  }
  return out;
}

// --- polling and controls ---------------------------------------------------------------------

function setStatus(text, error) {
  const el = $("status");
  el.textContent = text;
  el.classList.toggle("error", Boolean(error));
}

async function refresh() {
  clearTimeout(page.timer);
  const asked = ++page.asked;
  try {
    const query = page.key ? `?key=${encodeURIComponent(page.key)}` : "";
    const response = await fetch(`${ADMIN}/inspector/state${query}`, { cache: "no-store" });
    const text = await response.text();
    if (asked !== page.asked) return; // a later refresh (another key, a control) draws and polls
    if (!response.ok) {
      const message = JSON.parse(text).error.message;
      if (response.status === 401 && page.key) return chooseKey(""); // a key from an earlier server
      setStatus(message, true);
    } else {
      if (text !== page.text) {
        page.text = text;
        page.data = JSON.parse(text);
        render();
      }
      setStatus(`updated ${new Date().toTimeString().slice(0, 8)}`);
    }
  } catch (err) {
    if (asked !== page.asked) return;
    setStatus(`cannot reach the emulator (${err.message})`, true);
  }
  if ($("live").checked) page.timer = setTimeout(refresh, POLL_MS);
}

function chooseKey(key) {
  page.key = key;
  if (key) localStorage.setItem("inspector.key", key);
  else localStorage.removeItem("inspector.key");
  const url = new URL(location.href);
  if (key) url.searchParams.set("key", key);
  else url.searchParams.delete("key");
  history.replaceState(null, "", url);
  page.text = "";
  return refresh();
}

async function admin(path, body) {
  const response = await fetch(`${ADMIN}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error ? answer.error.message : response.statusText);
  return answer;
}

function control(action, done) {
  return async (event) => {
    event.preventDefault();
    try {
      await action();
      setStatus(done);
    } catch (err) {
      setStatus(err.message, true);
      return;
    }
    page.text = "";
    refresh();
  };
}

function setUp() {
  $("advance").addEventListener("submit", control(() => admin("/clock/advance", { seconds: Number($("advance-seconds").value) }), "clock advanced"));
  $("fault").addEventListener("submit", control(() => admin("/faults/runs", { count: 1, code: $("fault-code").value }), "the next run will fail"));
  const reset = $("reset");
  const disarm = () => { reset.classList.remove("armed"); reset.textContent = "Reset all"; };
  const forget = control(async () => { disarm(); await admin("/reset", {}); location.hash = ""; }, "reset");
  reset.addEventListener("click", (event) => {
    if (reset.classList.contains("armed")) return forget(event);
    reset.classList.add("armed"); // a second click within 3 s confirms
    reset.textContent = "Click again to reset";
    clearTimeout(reset.timer);
    reset.timer = setTimeout(disarm, 3000);
  });
  $("key").addEventListener("change", (e) => chooseKey(e.target.value));
  $("live").addEventListener("change", () => refresh());
  window.addEventListener("hashchange", () => page.data && render(true));
  refresh();
}

setUp();
