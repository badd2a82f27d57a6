import fs from 'node:fs';
import OpenAI from 'openai';

const client = new OpenAI({ baseURL: 'http://127.0.0.1:8000/v1', apiKey: 'any-key' });
const assistant = await client.beta.assistants.create({
  model: 'gpt-4o',
  name: 'Math Tutor',
  tools: [{ type: 'code_interpreter' }],
});
const thread = await client.beta.threads.create({ messages: [{ role: 'user', content: 'Solve 3x + 11 = 14' }] });
const run = await client.beta.threads.runs.createAndPoll(thread.id, { assistant_id: assistant.id });
const messages = await client.beta.threads.messages.list(thread.id);
console.log(run.status, messages.data[0].content[0].text.value); // completed Result: x = 1

await client.beta.threads.messages.create(thread.id, { role: 'user', content: 'Plot sin(x) from 0 to 2*pi' });
const stream = client.beta.threads.runs
  .stream(thread.id, { assistant_id: assistant.id })
  .on('textDelta', (delta) => process.stdout.write(delta.value));
const [reply] = await stream.finalMessages();
const image = reply.content.find((part) => part.type === 'image_file');
const png = await client.files.content(image.image_file.file_id);
fs.writeFileSync('sine.png', Buffer.from(await png.arrayBuffer()));
console.log('\nwrote sine.png');
