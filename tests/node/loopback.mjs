// What the Node test scripts share: their command line, and a `fetch` that reaches 127.0.0.1 only.
// tests/node_env.py copies this module beside each script it runs (see `SHARED` there).

// The script's two arguments (a URL and a key), or its usage on stderr and exit code 2.
export function twoArgs(usage) {
  const args = process.argv.slice(2, 4);
  if (args.length < 2 || !args[0] || !args[1]) {
    console.error(`usage: ${usage}`);
    process.exit(2);
  }
  return args;
}

// A `fetch` that refuses any host but 127.0.0.1 (the SDK must reach nothing else) and notes each
// request in `requests` as "METHOD /path" (with its query string when `withQuery`).
export function guardedFetch(requests, { withQuery = false } = {}) {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.hostname !== '127.0.0.1') {
      throw new Error(`refused a request beyond 127.0.0.1: ${url}`);
    }
    requests.push(`${init?.method ?? 'GET'} ${url.pathname}${withQuery ? url.search : ''}`);
    return fetch(input, init);
  };
}
