import OpenAI from 'openai';

const client = new OpenAI({ baseURL: 'http://127.0.0.1:8000/v1', apiKey: 'any-key' });
const weather = {
  type: 'function',
  name: 'get_weather',
  description: 'Get the weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const first = await client.responses.create({ model: 'gpt-4o', input: 'What is the weather in Oslo?', tools: [weather] });
const call = first.output[0];
console.log(call.type, call.name, call.arguments); // function_call get_weather {"city": "Oslo"}
const second = await client.responses.create({
  model: 'gpt-4o',
  previous_response_id: first.id,
  tools: [weather],
  input: [{ type: 'function_call_output', call_id: call.call_id, output: '{"temp": 4}' }],
});
console.log(second.status); // completed

const stream = client.responses
  .stream({ model: 'gpt-4o', input: 'Stream this' })
  .on('response.output_text.delta', (event) => process.stdout.write(event.delta));
const final = await stream.finalResponse();
console.log(`\n${final.status}`); // completed
