// `@azure/ai-agents` (Foundry Agents, npm) against the emulator's Foundry project shape:
// an agent, a thread, a message, a run polled to completion, the threads list, a streamed
// run, and a file upload. The client is built as docs/foundry.md shows: allowInsecureConnection,
// and the bearer token policy (which refuses http) replaced by one that sets the header.
//
//     node foundry_agents.mjs http://127.0.0.1:PORT/api/projects/NAME TOKEN
//
// Prints one JSON summary; every request must go to 127.0.0.1.

import { AgentsClient } from '@azure/ai-agents';
import { Readable } from 'node:stream';

const [endpoint, token] = process.argv.slice(2);
if (!endpoint || !token) {
  console.error('usage: node foundry_agents.mjs PROJECT_ENDPOINT TOKEN');
  process.exit(2);
}

const requests = [];
const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
const client = new AgentsClient(endpoint, credential, {
  allowInsecureConnection: true,
  retryOptions: { maxRetries: 0 },
});
client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
client.pipeline.addPolicy({
  name: 'emulatorBearerToken',
  sendRequest: (request, next) => {
    const url = new URL(request.url);
    if (url.hostname !== '127.0.0.1') throw new Error(`refused a request beyond 127.0.0.1: ${url}`);
    requests.push(`${request.method} ${url.pathname}${url.search}`);
    request.headers.set('authorization', `Bearer ${token}`);
    return next(request);
  },
});

const agent = await client.createAgent('gpt-4o', { name: 'node-agent', instructions: 'Be brief.' });
const thread = await client.threads.create();
await client.messages.create(thread.id, 'user', 'Hello from Node');
const run = await client.runs.createAndPoll(thread.id, agent.id, { pollingOptions: { intervalInMs: 10 } });
const messages = [];
for await (const message of client.messages.list(thread.id, { order: 'asc' })) {
  messages.push({ role: message.role, text: message.content[0].text.value });
}
const threads = [];
for await (const listed of client.threads.list()) threads.push(listed.id);

await client.messages.create(thread.id, 'user', 'stream this please');
const events = [];
let streamed = '';
const stream = await client.runs.create(thread.id, agent.id).stream();
for await (const event of stream) {
  events.push(event.event);
  if (event.event === 'thread.message.delta') {
    for (const part of event.data.delta.content) streamed += part.text?.value ?? '';
  }
}

const uploaded = await client.files.upload(Readable.from([Buffer.from('# notes\nfrom node')]), 'assistants', {
  fileName: 'notes.md',
});

console.log(JSON.stringify({
  agent: { id: agent.id, name: agent.name },
  thread: thread.id,
  run: { id: run.id, status: run.status },
  messages,
  threads,
  events,
  streamed,
  file: { id: uploaded.id, filename: uploaded.filename, bytes: uploaded.bytes, status: uploaded.status },
  requests,
}));
