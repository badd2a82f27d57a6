// The official `openai` npm package on the Responses and Conversations APIs of the dev server.
//
//     node openai_responses.mjs http://127.0.0.1:PORT/v1 API_KEY
//
// Run by tests/test_node_sdk.py, which registers the `weather-bot` script first (a call of
// get_weather for "weather in CITY", a reply from its output). Prints one JSON summary on
// stdout. Every request goes through `guardedFetch` (loopback.mjs), which refuses any host but 127.0.0.1.

import OpenAI from 'openai';
import { guardedFetch, twoArgs } from './loopback.mjs';

const [baseURL, apiKey] = twoArgs('node openai_responses.mjs BASE_URL API_KEY');

const requests = [];
const guarded = guardedFetch(requests);

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000, fetch: guarded });
const weather = {
  type: 'function',
  name: 'get_weather',
  description: 'Get the weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};
const summary = {};

// responses.create, and the SDK's output_text convenience
const text = await client.responses.create({ model: 'gpt-4o', input: 'Hello from Node' });
summary.text = { id: text.id, status: text.status, output_text: text.output_text, usage: text.usage };

// a streamed response through the SDK's accumulator, which checks the events' order
const stream = client.responses.stream({ model: 'gpt-4o', input: 'Stream a reply, please' });
const events = [];
let fromDeltas = '';
for await (const event of stream) {
  events.push({ type: event.type, sequence_number: event.sequence_number });
  if (event.type === 'response.output_text.delta') fromDeltas += event.delta;
}
const streamed = await stream.finalResponse();
summary.streamed = { id: streamed.id, status: streamed.status, events, text_from_deltas: fromDeltas,
                     output_text: streamed.output_text };

// a function-call loop by previous_response_id
const first = await client.responses.create({ model: 'weather-bot', input: 'What is the weather in Porto?',
                                              tools: [weather] });
const call = first.output.find((item) => item.type === 'function_call');
const second = await client.responses.create({
  model: 'weather-bot',
  previous_response_id: first.id,
  tools: [weather],
  input: [{ type: 'function_call_output', call_id: call.call_id, output: JSON.stringify({ temp: 23 }) }],
});
summary.loop = { first_id: first.id, call: { name: call.name, arguments: JSON.parse(call.arguments) },
                 second_id: second.id, previous_response_id: second.previous_response_id,
                 output_text: second.output_text };

// a conversation: its items are the model's context, the response's items are appended
const conversation = await client.conversations.create({
  metadata: { from: 'node' },
  items: [{ type: 'message', role: 'user', content: 'hello' }],
});
const inConversation = await client.responses.create({ model: 'weather-bot', conversation: conversation.id,
                                                       input: 'and again' });
const items = [];
for await (const item of client.conversations.items.list(conversation.id, { order: 'asc', limit: 2 })) {
  items.push({ id: item.id, type: item.type, role: item.role });
}
summary.conversation = { id: conversation.id, metadata: conversation.metadata, response_id: inConversation.id,
                         response_conversation: inConversation.conversation, output_text: inConversation.output_text,
                         items };

summary.requests = requests;
console.log(JSON.stringify(summary));
