// The inspector's Responses side: conversations as chats, responses with their status, usage
// and chain. Loaded before inspector.js, whose helpers (h, badge, when, kv, ...) it uses when
// it draws. Text from the store is only ever set as text.
"use strict";

const conversationHref = (id) => `#/conversations/${encodeURIComponent(id)}`;
const responseHref = (id) => `#/responses/${encodeURIComponent(id)}`;

function responseLink(id, data) {
  const found = data.responses.find((r) => r.id === id);
  if (!found) return h("span", { class: "mono", title: "not stored (deleted, or store: false)" }, shortId(id), " (gone)");
  return h("a", { href: responseHref(id), class: "mono", "data-response-link": id }, shortId(id));
}

function usageText(usage) {
  if (!usage) return null;
  const reasoning = usage.output_tokens_details && usage.output_tokens_details.reasoning_tokens;
  const cached = usage.input_tokens_details && usage.input_tokens_details.cached_tokens;
  return `${usage.input_tokens} input${cached ? ` (${cached} cached)` : ""} + ${usage.output_tokens} output` +
    `${reasoning ? ` (${reasoning} reasoning)` : ""} = ${usage.total_tokens}`;
}

// --- items: messages, function calls and outputs, file searches, code, MCP, reasoning -------------------------

function drawItem(item) {
  const attrs = { id: `item-${item.id}`, "data-item": item.id, "data-type": item.type };
  const status = item.status && item.status !== "completed" ? badge(item.status) : null;
  if (item.type === "message") {
    return h("article", { ...attrs, class: `msg ${item.role}` },
      h("header", {}, h("span", { class: "role" }, item.role), h("span", { class: "mono meta" }, shortId(item.id)), status),
      item.content.map((part) => drawItemPart(part, item)));
  }
  if (item.type === "function_call") {
    return h("article", { ...attrs, class: "msg tool-item" },
      h("header", {}, h("span", { class: "role" }, "function call"), h("span", { class: "mono meta" }, item.call_id), status),
      h("div", { class: "tool function" }, h("h3", {}, `function ${item.name}`), h("pre", {}, pretty(item.arguments))));
  }
  if (item.type === "function_call_output") {
    const output = typeof item.output === "string" ? pretty(item.output) : JSON.stringify(item.output, null, 2);
    return h("article", { ...attrs, class: "msg tool-item" },
      h("header", {}, h("span", { class: "role" }, "function output"), h("span", { class: "mono meta" }, item.call_id), status),
      h("pre", {}, output));
  }
  if (item.type === "file_search_call") {
    const results = item.results || [];
    return h("article", { ...attrs, class: "msg tool-item" },
      h("header", {}, h("span", { class: "role" }, "file search"), h("span", { class: "mono meta" }, shortId(item.id)), status),
      h("div", { class: "tool file-search" }, h("h3", {}, `file_search · ${(item.queries || []).join(" · ")} · ${results.length} results`),
        results.length ? h("table", {}, h("tr", {}, h("th", {}, "file"), h("th", {}, "score"), h("th", {}, "text")),
          results.map((r) => h("tr", {}, h("td", {}, fileLink(r.file_id, r.filename)), h("td", {}, r.score.toFixed(3)),
            h("td", {}, r.text)))) : null));
  }
  if (item.type && item.type.startsWith("mcp_")) return drawMcpItem(item, attrs, status);
  if (item.type === "code_interpreter_call") {
    const outputs = (item.outputs || []).map((o) => o.type === "logs"
      ? [h("h3", {}, "logs"), h("pre", {}, o.logs)]
      : [h("h3", {}, "image"), h("img", { src: o.url.startsWith("data:image/png;base64,") ? o.url : "", alt: "code_interpreter image", loading: "lazy" })]);
    return h("article", { ...attrs, class: "msg tool-item" },
      h("header", {}, h("span", { class: "role" }, "code interpreter"), h("span", { class: "mono meta" }, item.container_id), status),
      h("div", { class: "tool code" }, h("h3", {}, "code_interpreter input"), h("pre", { class: "code" }, item.code || ""), outputs));
  }
  if (item.type === "web_search_call") {
    const action = item.action || {};
    const what = action.type === "open_page" ? `open_page · ${action.url || ""}`
      : action.type === "find_in_page" ? `find_in_page · ${action.pattern || ""} · ${action.url || ""}`
      : `search · ${action.query || ""}`;
    const sources = action.sources || [];
    return h("article", { ...attrs, class: "msg tool-item" },
      h("header", {}, h("span", { class: "role" }, "web search"), h("span", { class: "mono meta" }, shortId(item.id)), status),
      h("div", { class: "tool web-search" }, h("h3", {}, `web_search · ${what}`),
        sources.length ? h("ul", {}, sources.map((s) => h("li", { class: "mono" }, s.url))) : null));
  }
  if (item.type === "reasoning") {
    const summary = (item.summary || []).map((s) => h("p", {}, s.text));
    return h("article", { ...attrs, class: "msg reasoning" },
      h("header", {}, h("span", { class: "role" }, "reasoning"), h("span", { class: "mono meta" }, shortId(item.id)), status),
      summary.length ? summary : h("p", { class: "meta" }, "(no summary)"),
      item.encrypted_content ? h("p", { class: "meta" }, `encrypted_content: ${item.encrypted_content.length} characters`) : null);
  }
  return h("article", { ...attrs, class: "msg" }, h("header", {}, h("span", { class: "role" }, item.type)),
    h("pre", {}, JSON.stringify(item, null, 2)));
}

// MCP items: a server's listed tools, a call (arguments, then output or error), an approval asked and answered.
function drawMcpItem(item, attrs, status) {
  const role = { mcp_list_tools: "mcp tools", mcp_call: "mcp call", mcp_approval_request: "mcp approval asked",
    mcp_approval_response: "mcp approval" }[item.type] || item.type;
  const head = h("header", {}, h("span", { class: "role" }, role), h("span", { class: "mono meta" }, shortId(item.id)), status);
  const body = [];
  if (item.type === "mcp_list_tools") {
    const count = (item.tools || []).length;
    body.push(h("h3", {}, `${item.server_label} · ${count} ${count === 1 ? "tool" : "tools"}`));
    if ((item.tools || []).length) {
      body.push(h("table", {}, h("tr", {}, h("th", {}, "tool"), h("th", {}, "description"), h("th", {}, "read only")),
        item.tools.map((t) => h("tr", {}, h("td", { class: "mono" }, t.name), h("td", {}, t.description || ""),
          h("td", {}, t.annotations && t.annotations.read_only ? "yes" : "no")))));
    }
    if (item.error) body.push(h("div", { class: "error-box" }, item.error));
  } else if (item.type === "mcp_approval_response") {
    body.push(h("h3", {}, `${item.approve ? "approved" : "denied"} · `, h("span", { class: "mono" }, shortId(item.approval_request_id))),
      item.reason ? h("p", {}, item.reason) : null);
  } else {
    body.push(h("h3", {}, `${item.server_label} · ${item.name}`), h("pre", {}, pretty(item.arguments)));
    if (item.approval_request_id) body.push(h("p", { class: "meta" }, "approved request ", h("span", { class: "mono" }, item.approval_request_id)));
    if (item.output != null) body.push(h("pre", { class: "output" }, item.output));
    if (item.error) body.push(h("div", { class: "error-box" }, typeof item.error === "string" ? item.error : JSON.stringify(item.error)));
    if (item.type === "mcp_approval_request") body.push(h("div", { class: "action-box" }, "waiting for the app's mcp_approval_response"));
  }
  return h("article", { ...attrs, class: "msg tool-item" }, head, h("div", { class: "tool mcp" }, body));
}

function drawItemPart(part, item) {
  if (part.type === "input_text") return h("div", { class: "text" }, part.text);
  if (part.type === "output_text") {
    const message = { id: item.id };
    const text = h("div", { class: "text" }, part.segments.map((s) => drawSegment(s, message)));
    const notes = part.footnotes.length ? h("ol", { class: "footnotes" }, part.footnotes.map((n) => drawFootnote(n, message))) : null;
    return [text, notes];
  }
  if (part.type === "refusal") return h("p", { class: "refusal" }, "Refusal: ", part.refusal);
  if (part.type === "input_image" && part.file_id) {
    return h("figure", {}, image(part.file_id, "input image"), h("figcaption", {}, fileLink(part.file_id)));
  }
  if (part.type === "input_image") return h("p", { class: "meta" }, "input_image: ", h("span", { class: "mono" }, (part.image_url || "").slice(0, 80)));
  if (part.type === "input_file") {
    return h("p", { class: "meta" }, "input_file: ", part.file_id ? fileLink(part.file_id) : part.filename || part.file_url || "(inline data)");
  }
  return h("pre", {}, JSON.stringify(part, null, 2));
}

// --- a conversation as a chat -------------------------------------------------------------------

function drawConversation(conversation) {
  const head = h("div", { class: "thread-head" }, h("h2", {}, "Conversation"), h("span", { class: "mono" }, conversation.id),
    h("span", { class: "meta" }, "created ", when(conversation.created_at), ` · ${conversation.items.length} items · `,
      `${conversation.responses.length} responses`));
  const chat = h("div", { class: "chat" }, conversation.items.map(drawItem));
  if (!conversation.items.length) chat.append(h("p", { class: "hint" }, "No items."));
  const metadata = Object.keys(conversation.metadata || {}).length ? kv([["metadata", JSON.stringify(conversation.metadata)]]) : null;
  return [head, metadata, chat];
}

function drawConversationResponses(conversation, data) {
  const made = conversation.responses.map((id) => data.responses.find((r) => r.id === id)).filter(Boolean);
  const out = [h("h2", {}, "Responses ", h("span", { class: "count" }, made.length))];
  if (!made.length) out.push(h("p", { class: "hint" }, "No responses in this conversation yet."));
  for (const r of [...made].reverse()) out.push(responseCard(r, data));
  return out;
}

// --- responses ----------------------------------------------------------------------------------

function responseCard(r, data) {
  return h("a", { class: "card response", href: responseHref(r.id), "data-response": r.id },
    h("div", { class: "card-head" }, h("span", { class: "mono" }, r.id), badge(r.status),
      r.background ? h("span", { class: "badge light" }, "background") : null),
    h("div", { class: "meta" }, `${r.model} · ${r.output.length} output items · created `, when(r.created_at)),
    r.usage ? h("div", { class: "meta" }, usageText(r.usage)) : null, responseProblems(r));
}

function responseProblems(r) {
  const out = [];
  if (r.error) out.push(h("div", { class: "error-box" }, h("strong", {}, `error: ${r.error.code}`), " — ", r.error.message));
  if (r.incomplete_details) out.push(h("div", { class: "action-box" }, `incomplete: ${r.incomplete_details.reason}`));
  return out;
}

function drawResponse(r, data) {
  const head = h("div", { class: "thread-head" }, h("h2", {}, "Response"), h("span", { class: "mono" }, r.id),
    h("span", { class: "meta" }, "created ", when(r.created_at), ` · ${r.input_items.length} input items · `,
      `${r.output.length} output items`));
  const input = h("div", { class: "chat input" }, r.input_items.map(drawItem));
  const output = h("div", { class: "chat output" }, r.output.map(drawItem));
  return [head, h("h3", {}, "Input"), r.input_items.length ? input : h("p", { class: "hint" }, "No input items."),
    h("h3", {}, "Output"), r.output.length ? output : h("p", { class: "hint" }, "No output yet.")];
}

function drawResponseDetail(r, data) {
  const chain = r.chain.length || r.continued_by.length
    ? h("ol", { class: "chain" }, r.chain.map((id) => h("li", {}, responseLink(id, data))),
      h("li", { class: "here" }, h("span", { class: "mono" }, shortId(r.id)), " (this one)"),
      r.continued_by.map((id) => h("li", { class: "next" }, "→ ", responseLink(id, data))))
    : null;
  const tools = r.tools.map((t) => t.type === "function" ? `function ${t.name}` : t.type).join(", ") || "none";
  return [
    h("div", { class: "card selected response-detail", "data-response": r.id },
      h("div", { class: "card-head" }, h("span", { class: "mono" }, r.id), badge(r.status),
        r.background ? h("span", { class: "badge light" }, "background") : null),
      responseProblems(r),
      kv([["model", r.model], ["created", iso(r.created_at)], ["completed", r.completed_at ? iso(r.completed_at) : null],
        ["usage", usageText(r.usage)], ["tools", tools], ["progression", r.progression],
        ["conversation", r.conversation ? h("a", { href: conversationHref(r.conversation.id), class: "mono" }, r.conversation.id) : null],
        ["previous_response_id", r.previous_response_id ? responseLink(r.previous_response_id, data) : null],
        ["instructions", typeof r.instructions === "string" ? r.instructions : null],
        ["stream events", r.events], ["store", String(r.store)],
        ["metadata", Object.keys(r.metadata || {}).length ? JSON.stringify(r.metadata) : null]])),
    chain ? [h("h3", {}, `Chain (${r.chain.length + 1 + r.continued_by.length})`), chain] : null,
  ];
}

function drawResponsesNav(data, where) {
  const out = [h("div", { class: "section" }, "Conversations ", h("span", { class: "count" }, data.conversations.length))];
  for (const c of [...data.conversations].reverse()) {
    const first = c.items.find((i) => i.type === "message");
    const part = first && first.content.find((p) => p.text !== undefined);
    const selected = where.view === "conversation" && where.id === c.id;
    out.push(h("a", { href: conversationHref(c.id), class: selected ? "selected" : null, "data-conversation": c.id },
      h("div", { class: "line" }, h("span", { class: "mono" }, shortId(c.id)), h("span", { class: "count" }, c.items.length)),
      h("div", { class: "snippet" }, part ? part.text : "(no messages)")));
  }
  out.push(h("div", { class: "section" }, "Responses ", h("span", { class: "count" }, data.responses.length)));
  for (const r of [...data.responses].reverse()) {
    const selected = where.view === "response" && where.id === r.id;
    out.push(h("a", { href: responseHref(r.id), class: selected ? "selected" : null, "data-response-nav": r.id },
      h("div", { class: "line" }, h("span", { class: "mono" }, shortId(r.id)), badge(r.status)),
      h("div", { class: "snippet" }, r.previous_response_id ? `continues ${shortId(r.previous_response_id)}` : r.model)));
  }
  return out;
}

// where: {view: "conversation" | "response", id}; answers [main, side] or null if it is gone
function drawResponsesView(where, data) {
  if (where.view === "conversation") {
    const c = data.conversations.find((x) => x.id === where.id);
    return c ? [drawConversation(c), drawConversationResponses(c, data)] : null;
  }
  const r = data.responses.find((x) => x.id === where.id);
  return r ? [drawResponse(r, data), drawResponseDetail(r, data)] : null;
}
