// `AzureOpenAI` from the official `openai` npm package against the emulator's Azure URL shape,
// through a function-calling loop: createAndPoll to requires_action, submitToolOutputsAndPoll,
// the same streamed (runs.stream, then submitToolOutputsStream), and auto-pagination.
//
//     node openai_azure_tools.mjs http://127.0.0.1:PORT API_KEY
//
// Prints one JSON summary; every request must go to 127.0.0.1 (see guardedFetch).

import { AzureOpenAI } from 'openai';
import { guardedFetch, twoArgs } from './loopback.mjs';

const [endpoint, apiKey] = twoArgs('node openai_azure_tools.mjs ENDPOINT API_KEY');

const requests = [];
const guarded = guardedFetch(requests, { withQuery: true });

const client = new AzureOpenAI({
  endpoint,
  apiKey,
  apiVersion: '2025-04-01-preview',
  maxRetries: 0,
  timeout: 60_000,
  fetch: guarded,
});
const GET_WEATHER = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const summary = {};

const assistant = await client.beta.assistants.create({ model: 'my-gpt-4o-deployment', tools: [GET_WEATHER] });
summary.assistant_id = assistant.id;

// polled
const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Get weather in Lisbon' }] });
let run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
const call = run.required_action.submit_tool_outputs.tool_calls[0];
summary.polled = { thread_id: thread.id, first_status: run.status, call: call.function };
run = await client.beta.threads.runs.submitToolOutputsAndPoll(run.id, {
  thread_id: thread.id,
  tool_outputs: [{ tool_call_id: call.id, output: '{"temp": 19}' }],
});
const [reply] = (await client.beta.threads.messages.list(thread.id)).data;
summary.polled.run_id = run.id;
summary.polled.final_status = run.status;
summary.polled.reply = reply.content[0].text.value;

// streamed
const streamThread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Get weather in Oslo' }] });
const firstStream = client.beta.threads.runs.stream(streamThread.id, { assistant_id: assistant.id });
const firstEvents = [];
firstStream.on('event', (event) => firstEvents.push(event.event));
const paused = await firstStream.finalRun();
const streamedCall = paused.required_action.submit_tool_outputs.tool_calls[0];
const resumedEvents = [];
const resumed = client.beta.threads.runs
  .submitToolOutputsStream(paused.id, {
    thread_id: streamThread.id,
    tool_outputs: [{ tool_call_id: streamedCall.id, output: '{"temp": 4}' }],
  })
  .on('event', (event) => resumedEvents.push(event.event));
const resumedRun = await resumed.finalRun();
const [streamedReply] = await resumed.finalMessages();
summary.streamed = {
  thread_id: streamThread.id,
  run_id: resumedRun.id,
  paused_status: paused.status,
  call: streamedCall.function,
  first_events: firstEvents,
  resumed_events: resumedEvents,
  final_status: resumedRun.status,
  reply: streamedReply.content[0].text.value,
};

// auto-pagination over several pages
for (let i = 0; i < 4; i++) {
  await client.beta.assistants.create({ model: 'my-gpt-4o-deployment', name: `helper ${i}` });
}
const listed = [];
for await (const item of client.beta.assistants.list({ limit: 2, order: 'asc' })) {
  listed.push(item.id);
}
summary.listed = listed;
summary.requests = requests;

console.log(JSON.stringify(summary));
