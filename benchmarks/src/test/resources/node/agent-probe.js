// Runs a probe plan through Node's real http.Agent and prints, per request, the client port the
// server saw (X-Client-Port) and req.reusedSocket. Same rules as `benchmarks.jar probe`: a round
// starts all its requests at once, waits for every body, then pauses.
// usage: node agent-probe.js '{"agent": {...} | false, "rounds": [{"urls": [...], "pauseMs": 20}]}'
'use strict';
const http = require('http');

const spec = JSON.parse(process.argv[2]);
const agent = spec.agent === false ? false : new http.Agent(spec.agent);

function one(round, index, url) {
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve({
        round, index, port: Number(res.headers['x-client-port']), reusedSocket: req.reusedSocket, error: null,
      }));
    });
    req.on('error', (e) => resolve({ round, index, port: null, reusedSocket: req.reusedSocket, error: e.message }));
  });
}

async function main() {
  const out = [];
  for (let r = 0; r < spec.rounds.length; r++) {
    const round = spec.rounds[r];
    out.push(...await Promise.all(round.urls.map((url, i) => one(r, i, url))));
    await new Promise((res) => setTimeout(res, round.pauseMs ?? 20));
  }
  if (agent) agent.destroy();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
