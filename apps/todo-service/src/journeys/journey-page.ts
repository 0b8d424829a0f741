/**
 * The journey pages: `/journey`, a form that sends a todo through the platform's flow, and
 * `/journey/<correlation id>`, that request's timeline, polled from GET /journeys/:id once
 * a second while it changes (every 5 s once it has been still for a while). Plain HTML and
 * one small script served from this service, nothing from elsewhere, so they work offline
 * and under the services' Content-Security-Policy (scripts only from 'self'). The page keeps the caller's token in sessionStorage.
 */

import { escapeHtml } from '@todo/http-api';

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d1d1f; }
h1 { font-size: 1.5rem; } h1 code { font-size: 1.2rem; }
form { display: grid; grid-template-columns: max-content 22rem; gap: .5rem 1rem; align-items: center; margin: 1rem 0 2rem; }
form button { grid-column: 2; justify-self: start; padding: .35rem 1rem; }
input { padding: .3rem .4rem; font: inherit; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e3e8; vertical-align: top; }
th { background: #f5f5f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .trace { font-family: ui-monospace, monospace; font-size: 13px; }
.outcome { border-radius: 4px; padding: 0 .4rem; white-space: nowrap; }
.good { background: #dff5e1; } .wait { background: #fff1cc; } .bad { background: #fde2e1; } .same { background: #ececf0; }
.detail { color: #55555a; font-size: 13px; }
#status { margin: .5rem 0; } #status.error { color: #b00020; }
#sources li.unreachable { color: #b00020; }
`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<script src="/journey.js"></script>
</body>
</html>`;
}

const FORM = `
<form id="send">
  <label for="email">Email</label><input id="email" name="email" type="email" required autocomplete="username">
  <label for="name">Name</label><input id="name" name="name" value="Journey Visitor" required>
  <label for="password">Password</label><input id="password" name="password" type="password" minlength="12" required autocomplete="current-password">
  <label for="title">Todo</label><input id="title" name="title" value="Follow one request" maxlength="200" required>
  <button type="submit">Send the todo</button>
</form>`;

/** The form: sign in (registering first if the address is new), create a todo, then watch its journey. */
export function renderJourneyFormPage(): string {
  return page(
    'Journey of a request',
    `<h1>Journey of a request</h1>
<p>Send a todo and watch what it sets off: the request and its command, the events appended and published,
each consumer's processing (with retries and dead letters), and the mail. A new address is registered first.</p>
${FORM}
<p id="status" role="status"></p>`,
  );
}

/** One request's timeline; the script fills it in and keeps it current. */
export function renderJourneyPage(correlationId: string): string {
  return page(
    `Journey ${correlationId}`,
    `<h1>Journey of <code>${escapeHtml(correlationId)}</code></h1>
<p><a href="/journey">Send another todo</a></p>
<p id="status" role="status">Loading…</p>
<ul id="sources"></ul>
<table id="timeline" data-correlation-id="${escapeHtml(correlationId)}" aria-label="Journey timeline">
<thead><tr><th scope="col">At</th><th scope="col">Service</th><th scope="col">Step</th><th scope="col">What</th><th scope="col">Message</th>
<th scope="col">Attempt</th><th scope="col">Outcome</th><th scope="col">Took</th><th scope="col">Trace</th></tr></thead>
<tbody></tbody>
</table>
<div id="token-box" hidden>
<p>This page needs a token to read the journey: sign in on <a href="/journey">the form</a>, or paste one.</p>
<form id="token-form"><label for="token">Token</label><input id="token" name="token" required><button type="submit">Use token</button></form>
</div>`,
  );
}

/** The script of both pages: plain DOM, text set with textContent only. */
export const JOURNEY_SCRIPT = `'use strict';
(function () {
  var TOKEN = 'journey.token';
  var KIND = { http: 'HTTP request', command: 'Command', append: 'Event appended', publish: 'Published', message: 'Consumed', mail: 'Mail' };
  var status = document.getElementById('status');

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }
  function post(path, body, token) {
    var headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = 'Bearer ' + token;
    return fetch(path, { method: 'POST', headers: headers, body: JSON.stringify(body) });
  }
  function problem(response) {
    return response.json().then(
      function (body) { return new Error(response.status + ' ' + (body.code || '') + ': ' + (body.message || '')); },
      function () { return new Error('answered ' + response.status); }
    );
  }
  async function signIn(email, password, name) {
    var answer = await post('/auth/token', { email: email, password: password });
    if (answer.status === 401) {
      var registered = await post('/users', { email: email, name: name, password: password });
      if (!registered.ok && registered.status !== 409) throw await problem(registered);
      answer = await post('/auth/token', { email: email, password: password });
    }
    if (!answer.ok) throw await problem(answer);
    return (await answer.json()).access_token;
  }

  var send = document.getElementById('send');
  if (send) {
    send.addEventListener('submit', async function (event) {
      event.preventDefault();
      var field = function (id) { return document.getElementById(id).value; };
      try {
        say('Signing in…');
        var token = await signIn(field('email'), field('password'), field('name'));
        sessionStorage.setItem(TOKEN, token);
        var id = 'journey-' + crypto.randomUUID();
        say('Sending the todo…');
        var headers = { 'content-type': 'application/json', authorization: 'Bearer ' + token, 'x-request-id': id };
        var created = await fetch('/todos', { method: 'POST', headers: headers, body: JSON.stringify({ title: field('title') }) });
        if (!created.ok) throw await problem(created);
        location.assign('/journey/' + encodeURIComponent(id));
      } catch (error) {
        say(error.message, true);
      }
    });
  }

  var timeline = document.getElementById('timeline');
  if (!timeline) return;
  var correlationId = timeline.dataset.correlationId;
  var body = timeline.querySelector('tbody');
  var sources = document.getElementById('sources');
  var tokenBox = document.getElementById('token-box');

  document.getElementById('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN, document.getElementById('token').value.trim());
    tokenBox.hidden = true;
    refresh();
  });

  function tone(step) {
    var outcome = step.outcome;
    if (/^(retry|parked|waiting|requeued)$/.test(outcome)) return 'wait';
    if (/^(dead_lettered|failed|rejected)$/.test(outcome) || /^[45]/.test(outcome)) return 'bad';
    if (outcome === 'duplicate') return 'same';
    return 'good';
  }
  function cell(row, text, className, title) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) td.className = className;
    if (title) td.title = title;
    row.appendChild(td);
    return td;
  }
  function render(journey) {
    var first = Date.parse(journey.steps[0].started_at);
    var rows = journey.steps.map(function (step) {
      var row = document.createElement('tr');
      row.dataset.kind = step.kind;
      row.dataset.outcome = step.outcome;
      row.dataset.service = step.service;
      cell(row, '+' + (Date.parse(step.started_at) - first) + ' ms', 'num', step.started_at);
      cell(row, step.service);
      cell(row, KIND[step.kind] || step.kind);
      var what = cell(row, step.name);
      if (step.detail) {
        var detail = document.createElement('div');
        detail.className = 'detail';
        detail.textContent = step.detail;
        what.appendChild(detail);
      }
      cell(row, step.message_type || '');
      cell(row, step.attempt == null ? '' : String(step.attempt), 'num');
      var outcome = cell(row, '');
      var badge = document.createElement('span');
      badge.className = 'outcome ' + tone(step);
      badge.textContent = step.outcome;
      outcome.appendChild(badge);
      cell(row, step.duration_ms.toFixed(1) + ' ms', 'num');
      cell(row, step.trace_id ? step.trace_id.slice(0, 16) + '…' : '', 'trace', step.trace_id || '');
      return row;
    });
    body.replaceChildren.apply(body, rows);
    var services = new Set(journey.steps.map(function (step) { return step.service; }));
    sources.replaceChildren.apply(sources, journey.sources.filter(function (source) { return source.error; }).map(function (source) {
      var item = document.createElement('li');
      item.className = 'unreachable';
      item.textContent = source.url + ' could not be asked: ' + source.error;
      return item;
    }));
    say(journey.steps.length + ' steps across ' + services.size + ' services · updated ' + new Date().toLocaleTimeString());
  }

  async function refresh() {
    var token = sessionStorage.getItem(TOKEN);
    if (!token) {
      tokenBox.hidden = false;
      say('No token yet.');
      return;
    }
    try {
      var answer = await fetch('/journeys/' + encodeURIComponent(correlationId), { headers: { authorization: 'Bearer ' + token } });
      if (answer.status === 404) say('Nothing recorded for this request yet; waiting…');
      else if (answer.status === 401) { tokenBox.hidden = false; say('The token was not accepted.', true); return; }
      else if (!answer.ok) say((await problem(answer)).message, true);
      else {
        var journey = await answer.json();
        var seen = JSON.stringify(journey.steps);
        unchanged = seen === last ? unchanged + 1 : 0;
        last = seen;
        render(journey);
      }
    } catch (error) {
      say('Could not reach todo-service: ' + error.message, true);
    }
    // Once a second while the journey moves; every 5 s once it has been still for 10 polls.
    setTimeout(refresh, unchanged >= 10 ? 5000 : 1000);
  }
  var last = '';
  var unchanged = 0;
  refresh();
})();
`;
