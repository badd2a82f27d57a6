import { AgentsClient } from '@azure/ai-agents';

const token = 'any-token';
const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600_000 }) };
const client = new AgentsClient('http://127.0.0.1:8000/api/projects/my-project', credential, {
  allowInsecureConnection: true,
  retryOptions: { maxRetries: 0 },
});
client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
client.pipeline.addPolicy({
  name: 'emulatorBearerToken',
  sendRequest: (request, next) => { request.headers.set('authorization', `Bearer ${token}`); return next(request); },
});
const agent = await client.createAgent('gpt-4o', { name: 'helper' });
console.log(agent.id);
