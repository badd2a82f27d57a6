// The official `openai` npm package against the emulator's dev server, over real HTTP.
//
//     node openai_quickstart.mjs http://127.0.0.1:PORT/v1 API_KEY
//
// Run by tests/test_node_sdk.py from the cache folder the SDK is installed in (see
// tests/node_env.py); prints one JSON summary on stdout, which the test checks and then
// cross-checks against the emulator's own state. Every request goes through `guardedFetch` (loopback.mjs),
// which refuses any host but 127.0.0.1: the SDK must reach nothing else.

import OpenAI, { NotFoundError, toFile } from 'openai';
import { guardedFetch, twoArgs } from './loopback.mjs';
import { VERSION } from 'openai/version';

const [baseURL, apiKey] = twoArgs('node openai_quickstart.mjs BASE_URL API_KEY');

const requests = [];
const guarded = guardedFetch(requests);

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000, fetch: guarded });
const summary = { sdk_version: VERSION, node_version: process.version };

// An assistant with code_interpreter, a thread, a message, a run polled to completion.
const assistant = await client.beta.assistants.create({
  model: 'gpt-4o',
  name: 'Math Tutor',
  instructions: 'You are a personal math tutor.',
  tools: [{ type: 'code_interpreter' }],
});
const thread = await client.beta.threads.create();
const question = await client.beta.threads.messages.create(thread.id, {
  role: 'user',
  content: 'Solve 3x + 11 = 14',
});
const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
const messages = await client.beta.threads.messages.list(thread.id, { order: 'asc' });
const steps = await client.beta.threads.runs.steps.list(run.id, { thread_id: thread.id });
summary.polled = {
  assistant: { id: assistant.id, object: assistant.object, tools: assistant.tools.map((t) => t.type) },
  thread_id: thread.id,
  message_id: question.id,
  run: { id: run.id, status: run.status, usage: run.usage },
  messages: messages.data.map((m) => ({
    id: m.id,
    role: m.role,
    run_id: m.run_id,
    text: m.content.filter((c) => c.type === 'text').map((c) => c.text.value).join(''),
  })),
  step_types: steps.data.map((s) => s.type),
};

// A streamed run with the SDK's stream helpers: the model plots, the image is downloaded.
const plotThread = await client.beta.threads.create({
  messages: [{ role: 'user', content: 'Plot sin(x) from 0 to 2*pi' }],
});
const events = [];
const deltas = [];
const toolCalls = [];
const imageFiles = [];
const stream = client.beta.threads.runs
  .stream(plotThread.id, { assistant_id: assistant.id })
  .on('event', (event) => events.push(event.event))
  .on('textDelta', (delta) => deltas.push(delta.value))
  .on('toolCallCreated', (toolCall) => toolCalls.push(toolCall.type))
  .on('imageFileDone', (image) => imageFiles.push(image.file_id));
const finalRun = await stream.finalRun();
const finalMessages = await stream.finalMessages();
const reply = finalMessages[finalMessages.length - 1];
const image = reply.content.find((c) => c.type === 'image_file');
const imageResponse = await client.files.content(image.image_file.file_id);
const png = Buffer.from(await imageResponse.arrayBuffer());
const imageFile = await client.files.retrieve(image.image_file.file_id);
summary.streamed = {
  thread_id: plotThread.id,
  run: { id: finalRun.id, status: finalRun.status },
  events,
  text_from_deltas: deltas.join(''),
  final_text: reply.content.filter((c) => c.type === 'text').map((c) => c.text.value).join(''),
  message_id: reply.id,
  content_types: reply.content.map((c) => c.type),
  tool_calls: toolCalls,
  image_files_from_events: imageFiles,
  image: {
    file_id: image.image_file.file_id,
    purpose: imageFile.purpose,
    bytes: png.length,
    content_type: imageResponse.headers.get('content-type'),
    png_signature: png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
};

// Upload a file (toFile) and find it again; the SDK's error classes on a real error (the
// service does not let `assistants` files be downloaded, and neither does the emulator).
const notes = '# Notes\nhello from node\n';
const uploaded = await client.files.create({
  file: await toFile(Buffer.from(notes), 'notes.md'),
  purpose: 'assistants',
});
const retrieved = await client.files.retrieve(uploaded.id);
let refusedDownload = null;
try {
  await client.files.content(uploaded.id);
} catch (err) {
  refusedDownload = { status: err.status, message: err.message };
}
let missing = null;
try {
  await client.beta.assistants.retrieve('asst_does_not_exist');
} catch (err) {
  missing = { status: err.status, not_found_error: err instanceof NotFoundError, message: err.message };
}
summary.file = {
  id: uploaded.id,
  filename: uploaded.filename,
  bytes: uploaded.bytes,
  purpose: uploaded.purpose,
  retrieved_bytes: retrieved.bytes,
  download: refusedDownload,
};
summary.missing_assistant = missing;
summary.requests = requests;

console.log(JSON.stringify(summary));
