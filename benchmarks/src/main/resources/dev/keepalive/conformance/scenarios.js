// Runs the conformance scenarios through this Node's real http.Agent, one after the other, and
// prints what the client saw of each request. The server records the rest. Run by NodeRun:
//   node scenarios.js PLAN.json
// PLAN: {"scenarios": [{"name", "agent": {...} | "global" | false, "ca" (https only: PEM),
//         "rounds": [{"pauseMs", "requests": [{"url", "timeoutMs", "busyMs", "connection"}]}]}]}
// Prints {"results": [[{"round", "index", "status", "body", "reused", "error"}, ...], ...]}.
// A round starts all its requests in one tick, waits for every one, then pauses (as the probe);
// after the last round the agent is destroyed at once. A scenario with "ca" runs over HTTPS:
// https.get, new https.Agent({...agent, ca}), https.globalAgent, and ca on every request (for
// agent: false, whose per-request agent gets no options of its own).
'use strict';
const fs = require('fs');
const http = require('http');
const https = require('https');

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Our error classes (dev.keepalive.agent.ErrorClass) for Node's errors.
function classify(e) {
  if (e.code === 'CONFORMANCE_TIMEOUT') return 'timeout';
  if (e.code === 'HPE_HEADER_OVERFLOW') return 'too_large';
  if (typeof e.code === 'string' && e.code.startsWith('HPE_')) return 'malformed';
  if (e.code === 'ECONNREFUSED') return 'refused';
  if (e.code === 'ECONNRESET') {
    return e.message === 'socket hang up' || e.message === 'aborted' ? 'closed_early' : 'reset';
  }
  if (e.code === 'EPIPE') return 'closed_early';
  return 'other ' + (e.code || e.message);
}

function busy(ms) {
  const until = Date.now() + ms;
  while (Date.now() < until); // application work after the response, on the loop
}

function one(agent, round, index, step, ca) {
  return new Promise((resolve) => {
    let settled = false;
    const done = (entry) => {
      if (!settled) {
        settled = true;
        resolve({ round, index, ...entry });
      }
    };
    const options = {};
    if (agent !== undefined) options.agent = agent;
    if (step.connection) options.headers = { Connection: step.connection };
    if (step.timeoutMs) options.timeout = step.timeoutMs;
    if (ca) options.ca = ca;
    const req = (ca ? https : http).get(step.url, options, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        if (step.busyMs) busy(step.busyMs);
        done({ status: res.statusCode, body: body.slice(0, 32), reused: req.reusedSocket, error: null });
      });
      res.on('error', (e) => done({ status: null, body: null, reused: req.reusedSocket, error: classify(e) }));
    });
    if (step.timeoutMs) {
      req.on('timeout', () => {
        const e = new Error('request timed out');
        e.code = 'CONFORMANCE_TIMEOUT';
        req.destroy(e);
      });
    }
    req.on('error', (e) => done({ status: null, body: null, reused: req.reusedSocket, error: classify(e) }));
  });
}

async function run(scenario) {
  const ca = scenario.ca;
  const proto = ca ? https : http;
  let agent;
  if (scenario.agent === false) agent = false;
  else if (scenario.agent === 'global') agent = undefined; // http(s).globalAgent
  else agent = new proto.Agent(ca ? { ...scenario.agent, ca } : scenario.agent);
  const out = [];
  for (let r = 0; r < scenario.rounds.length; r++) {
    const round = scenario.rounds[r];
    out.push(...await Promise.all(round.requests.map((step, i) => one(agent, r, i, step, ca))));
    if (r < scenario.rounds.length - 1) await sleep(round.pauseMs);
  }
  (agent || proto.globalAgent).destroy();
  return out;
}

async function main() {
  // A request queued behind an idle, unref'd free socket keeps nothing alive: without this timer
  // Node would exit while it waits (maxTotalSockets waits for a close).
  const alive = setInterval(() => {}, 1000);
  const results = [];
  for (const scenario of plan.scenarios) results.push(await run(scenario));
  clearInterval(alive);
  process.stdout.write(JSON.stringify({ version: process.version, results }) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
