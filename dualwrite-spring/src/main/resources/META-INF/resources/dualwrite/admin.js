// The dualwrite admin page: reads the dualwrite Actuator endpoint, renders every entity, and steers through the
// endpoint's write operations only (so it works, and is secured, wherever the endpoint is). Every value is set as
// text, never as HTML. The endpoint's URL is ../actuator/dualwrite (relative to this page), or the page's ?endpoint=
// parameter when Actuator lives elsewhere (another base path or management port).
(function () {
  'use strict';

  var REFRESH_MILLIS = 5000;
  var PHASES = ['LEGACY_ONLY', 'DUAL_WRITE', 'SHADOW_READS', 'NEW_READS', 'NEW_WRITES', 'NEW_ONLY'];
  var endpoint = new URLSearchParams(window.location.search).get('endpoint') || '../actuator/dualwrite';
  var main = document.getElementById('entities');
  var message = document.getElementById('message');
  var writable = false;
  document.getElementById('endpoint-link').href = endpoint;

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : '';
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    return e;
  }

  function add(parent, child) {
    parent.appendChild(child);
    return child;
  }

  function duration(millis) {
    if (millis === null || millis === undefined) {
      return '–';
    }
    if (millis < 1000) {
      return Math.round(millis) + ' ms';
    }
    var seconds = Math.floor(millis / 1000);
    if (seconds < 60) {
      return seconds + ' s';
    }
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
      return minutes + ' min ' + (seconds % 60) + ' s';
    }
    return Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  function time(instant) {
    return instant ? new Date(instant).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '–';
  }

  function plural(count, word) {
    return count + ' ' + word + (count === 1 ? '' : 's');
  }

  // Spring Security's cookie CSRF token, when the application uses one.
  function headers() {
    var match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    var h = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (match) {
      h['X-XSRF-TOKEN'] = decodeURIComponent(match[1]);
    }
    return h;
  }

  function errorOf(response) {
    return response.json().then(function (body) {
      return body && body.error ? body.error : response.status + ' ' + response.statusText;
    }, function () {
      return response.status + ' ' + response.statusText;
    });
  }

  // POSTs body to the endpoint path; says what happened with done(result) or the refusal; then reloads.
  function post(path, body, failedText, done) {
    return fetch(endpoint + path, {
      method: 'POST', headers: headers(), body: JSON.stringify(body), credentials: 'same-origin'
    }).then(function (response) {
      if (!response.ok) {
        return errorOf(response).then(function (error) {
          say(failedText + ': ' + error, true);
        });
      }
      return response.json().then(function (result) {
        say(done(result), false);
      });
    }, function (failure) {
      say(failedText + ': ' + failure, true);
    }).then(load);
  }

  function button(parent, className, text, title, onClick) {
    var b = add(parent, el('button', className, text));
    b.type = 'button';
    b.disabled = !writable;
    b.title = writable ? title : 'Write operations are off: set dualwrite.endpoint.write-operations-enabled=true';
    b.addEventListener('click', function () {
      b.disabled = true;
      onClick();
    });
    return b;
  }

  function move(entity, phase, force, reasonInput) {
    var reason = reasonInput.value.trim();
    if (force && !reason) {
      say('A forced move of ' + entity.name + ' needs a reason: it is recorded in the history', true);
      load();
      return;
    }
    post('/' + encodeURIComponent(entity.name), { phase: phase, reason: reason || null, force: force },
      'The move of ' + entity.name + ' to ' + phase + ' was refused', function (result) {
        reasonInput.value = '';
        return entity.name + ': ' + result.move.from + ' → ' + result.move.to + (result.move.forced ? ' (forced)' : '');
      });
  }

  function renderMoves(section, entity) {
    var box = add(section, el('div', 'moves'));
    add(box, el('h3', null, 'Move'));
    var reason = add(box, el('input', 'reason'));
    reason.placeholder = 'reason (recorded; required to force)';
    reason.setAttribute('aria-label', 'reason for ' + entity.name);
    var line = add(box, el('div'));
    var index = PHASES.indexOf(entity.phase);
    if (entity.nextPhase) {
      button(line, 'forward' + (entity.nextMoveOpen ? '' : ' alert'), 'Forward to ' + entity.nextPhase,
        entity.nextMoveOpen ? 'Every gate passes' : 'A gate fails now: the move will be refused',
        function () { move(entity, entity.nextPhase, false, reason); });
    }
    if (index > 0) {
      button(line, 'back', 'Back to ' + PHASES[index - 1], entity.phase === 'NEW_WRITES'
        ? 'Legacy must first hold every change the new service made (gate reverse-sync-caught-up)'
        : 'Backward moves have no gates',
        function () { move(entity, PHASES[index - 1], false, reason); });
    }
    var target = add(line, el('select', 'force-target'));
    target.setAttribute('aria-label', 'phase to force ' + entity.name + ' to');
    PHASES.filter(function (p) { return p !== entity.phase; }).forEach(function (p) {
      var option = add(target, el('option', null, p));
      option.value = p;
    });
    button(line, 'force', 'Force', 'Skip phases and override gates; needs a reason',
      function () { move(entity, target.value, true, reason); });

    var canaryLine = add(box, el('div'));
    add(canaryLine, el('span', null, 'Canary '));
    var canary = add(canaryLine, el('input', 'canary'));
    canary.type = 'number';
    canary.min = '0';
    canary.max = '100';
    canary.value = String(entity.canaryPercent);
    canary.setAttribute('aria-label', 'canary percentage of ' + entity.name);
    add(canaryLine, el('span', null, ' % of keys served by the new service in NEW_READS '));
    button(canaryLine, 'set-canary', 'Set', 'Set the canary percentage', function () {
      post('/' + encodeURIComponent(entity.name), { canaryPercent: Number(canary.value), reason: reason.value.trim() || null },
        'The canary of ' + entity.name + ' was not set', function () {
          return entity.name + ': canary ' + canary.value + ' %';
        });
    });
  }

  function renderGates(section, entity) {
    add(section, el('h3', null, entity.nextPhase ? 'Gates of the move to ' + entity.nextPhase : 'No next move'));
    if (!entity.nextPhase) {
      return;
    }
    if (entity.nextGates.length === 0) {
      add(section, el('p', null, 'No gates'));
      return;
    }
    var table = add(section, el('table', 'gates'));
    entity.nextGates.forEach(function (gate) {
      var row = add(table, el('tr', gate.passed ? 'ok' : 'fail'));
      row.dataset.gate = gate.gate;
      add(row, el('td', 'passed', gate.passed ? '✓' : '✗'));
      add(row, el('td', 'gate', gate.gate));
      add(row, el('td', 'measured', gate.measured));
      add(row, el('td', 'required', 'requires ' + gate.required));
    });
  }

  function chart(parent, caption, points, value, format, alert) {
    var figure = add(parent, el('figure', 'chart' + (alert ? ' alert' : '')));
    var values = points.map(value);
    var known = values.filter(function (v) { return v !== null && v !== undefined; });
    var last = known.length ? known[known.length - 1] : null;
    figure.dataset.points = String(values.length);
    add(figure, el('figcaption', null, caption + ': ' + (last === null ? '–' : format(last))
      + (known.length ? ' (max ' + format(Math.max.apply(null, known)) + ')' : '')));
    var svg = add(figure, document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    svg.setAttribute('viewBox', '0 0 200 44');
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', caption + ' over the last hour');
    if (known.length > 1) {
      var max = Math.max.apply(null, known) || 1;
      var line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
      line.setAttribute('points', values.map(function (v, i) {
        return (i * 200 / (values.length - 1)).toFixed(1) + ',' + (42 - ((v || 0) / max) * 40).toFixed(1);
      }).join(' '));
      svg.appendChild(line);
    }
  }

  function failing(entity, gate) {
    return entity.nextGates.some(function (g) { return g.gate === gate && !g.passed; });
  }

  function renderMirror(section, entity) {
    add(section, el('h3', null, 'Mirror, last hour'));
    var reads = entity.reads;
    var rate = reads && reads.compared > 0 ? (reads.mismatchRate * 100).toFixed(1) + ' % of ' + reads.compared : '–';
    var figures = add(section, el('p', 'figures'));
    add(figures, el('span', 'backlog' + (failing(entity, 'outbox-backlog') ? ' alert' : ''),
      'backlog ' + entity.backlog));
    add(figures, el('span', null, ', oldest undelivered ' + duration(entity.oldestUndeliveredAgeMillis)));
    add(figures, el('span', 'dead-letters' + (entity.deadLetters > 0 ? ' alert' : ''),
      ', ' + plural(entity.deadLetters, 'dead letter')));
    add(figures, el('span', null, ', shadow mismatch '));
    add(figures, el('span', 'mismatch' + (failing(entity, 'shadow-mismatch-rate') ? ' alert' : ''), rate));
    var charts = add(section, el('div', 'charts'));
    chart(charts, 'backlog', entity.trend, function (p) { return p.backlog; }, String,
      failing(entity, 'outbox-backlog'));
    chart(charts, 'lag', entity.trend, function (p) { return p.lagMillis; }, duration, false);
    chart(charts, 'mismatch rate', entity.trend, function (p) { return p.mismatchRate; },
      function (v) { return (v * 100).toFixed(1) + ' %'; }, failing(entity, 'shadow-mismatch-rate'));
  }

  function renderJob(parent, job) {
    if (!job) {
      return;
    }
    var line = add(parent, el('div', 'job ' + job.kind));
    line.dataset.state = job.state;
    add(line, el('span', job.state === 'FAILED' ? 'alert' : null, job.kind + ' started by ' + job.startedBy + ' '
      + time(job.startedAt) + ': ' + job.state.toLowerCase() + ' '));
    if (job.percent !== null && job.percent !== undefined) {
      var bar = add(line, el('span', 'progress'));
      add(bar, el('span')).style.width = job.percent.toFixed(0) + '%';
      add(line, el('span', 'percent', ' ' + job.percent.toFixed(0) + ' % · ' + job.rowsDone + ' of ' + job.rowsTotal
        + ' rows · ' + Math.round(job.rowsPerSecond) + ' rows/s'
        + (job.etaMillis !== null && job.etaMillis !== undefined ? ' · ETA ' + duration(job.etaMillis) : '')));
    }
    if (job.outcome || job.error) {
      add(parent, el('pre', 'outcome', job.outcome || job.error));
    }
  }

  function renderRuns(section, entity) {
    add(section, el('h3', null, 'Backfill and verification'));
    var backfill = entity.backfill;
    add(section, el('p', 'backfill', 'Backfill: ' + (backfill ? backfill.rowsDone + ' rows, ' + (backfill.finishedAt
      ? 'finished ' + time(backfill.finishedAt) : 'not finished') : 'not run')));
    renderJob(section, entity.backfillJob);
    var report = entity.lastVerification;
    add(section, el('p', 'verification' + (report && (report.missing + report.extra + report.different) > 0
      ? ' alert' : ''), 'Last verification: ' + (report ? 'compared ' + report.compared + ', missing '
      + report.missing + ', extra ' + report.extra + ', different ' + report.different + ' (' + time(report.finishedAt)
      + ')' : 'none')));
    renderJob(section, entity.verificationJob);
    var line = add(section, el('div'));
    var path = '/' + encodeURIComponent(entity.name);
    button(line, 'run-backfill', 'Run backfill', 'Copy the existing rows, resuming from the checkpoint', function () {
      post(path + '/backfill', {}, 'The backfill of ' + entity.name + ' was not started', function () {
        return 'Backfill of ' + entity.name + ' started';
      });
    });
    button(line, 'run-verify', 'Verify', 'Compare both stores', function () {
      post(path + '/verify', {}, 'The verification of ' + entity.name + ' was not started', function () {
        return 'Verification of ' + entity.name + ' started';
      });
    });
    button(line, 'run-repair', 'Verify and repair', 'Compare and re-send what differs', function () {
      post(path + '/verify', { repair: true }, 'The repair of ' + entity.name + ' was not started', function () {
        return 'Repair of ' + entity.name + ' started';
      });
    });
    renderMismatches(section, report);
  }

  // The latest verification's differing rows with their field differences (sensitive values arrive masked).
  function renderMismatches(section, report) {
    if (!report || !report.samples) {
      return;
    }
    var s = report.samples;
    if (s.missing.length + s.extra.length + s.different.length === 0) {
      return;
    }
    add(section, el('h3', null, 'Latest differences'));
    var table = add(section, el('table', 'mismatches'));
    s.missing.forEach(function (id) { mismatchRow(table, id, 'missing in the new service'); });
    s.extra.forEach(function (id) { mismatchRow(table, id, 'extra in the new service'); });
    s.different.forEach(function (d) {
      mismatchRow(table, d.id, d.fields.map(function (f) {
        return f.path + ': legacy ' + f.legacy + ', new ' + f.newService;
      }).join('; '));
    });
  }

  function mismatchRow(table, id, what) {
    var row = add(table, el('tr'));
    row.dataset.id = id;
    add(row, el('td', 'id', id));
    add(row, el('td', 'difference', what));
  }

  function renderHistory(section, history) {
    add(section, el('h3', null, 'History'));
    var list = add(section, el('ol', 'history'));
    list.reversed = true;
    (history || []).slice().reverse().forEach(function (m) {
      var item = add(list, el('li', m.forced ? 'forced' : null));
      item.textContent = time(m.at) + ' — ' + (m.from === m.to && m.canaryPercent !== null
        ? 'canary ' + m.canaryPercent + ' %' : m.from + ' → ' + m.to
          + (m.canaryPercent !== null && m.canaryPercent !== undefined ? ' (canary ' + m.canaryPercent + ' %)' : ''))
        + (m.forced ? ' FORCED' : '') + ' by ' + m.actor + (m.reason ? ': ' + m.reason : '');
    });
    if (!history || history.length === 0) {
      add(list, el('li', null, 'never moved'));
    }
  }

  function renderDeadLetters(section, entity) {
    add(section, el('h3', 'dead-letters-title', 'Dead letters (oldest ' + entity.oldestDeadLetters.length + ' of '
      + entity.deadLetters + ')'));
    if (entity.deadLetters === 0) {
      return;
    }
    var path = '/' + encodeURIComponent(entity.name) + '/dead-letters';
    button(section, 'retry', 'Retry ' + plural(entity.deadLetters, 'dead letter'),
      'Put every dead letter of ' + entity.name + ' back in line for delivery', function () {
        post(path, { action: 'retry' }, 'Dead letters of ' + entity.name + ' were not retried', function (r) {
          return plural(r.retried, 'dead letter') + ' of ' + entity.name + ' put back in line';
        });
      });
    var table = add(section, el('table', 'dead-letters'));
    var head = add(table, el('tr'));
    ['id', 'entity id', 'operation', 'version', 'attempts', 'status', 'error', 'appended', ''].forEach(function (h) {
      add(head, el('th', null, h)).scope = 'col';
    });
    entity.oldestDeadLetters.forEach(function (letter) {
      var row = add(table, el('tr'));
      row.dataset.id = String(letter.id);
      add(row, el('td', 'number', String(letter.id)));
      add(row, el('td', 'entity-id', letter.entityId));
      add(row, el('td', 'operation', letter.operation));
      add(row, el('td', 'number', String(letter.version)));
      add(row, el('td', 'number', String(letter.attempts)));
      add(row, el('td', 'status', letter.lastStatus === null || letter.lastStatus === undefined ? 'no answer'
        : 'HTTP ' + letter.lastStatus));
      add(row, el('td', 'error', letter.lastError || ''));
      add(row, el('td', 'created', time(letter.createdAt)));
      var actions = add(row, el('td', 'actions'));
      button(actions, 'retry-one', 'Retry', 'Put this dead letter back in line', function () {
        post(path, { action: 'retry', id: letter.id }, 'Dead letter ' + letter.id + ' was not retried', function () {
          return 'dead letter ' + letter.id + ' of ' + entity.name + ' put back in line';
        });
      });
      button(actions, 'discard', 'Discard', 'Delete this dead letter: its change never reaches the new service',
        function () {
          post(path, { action: 'discard', id: letter.id }, 'Dead letter ' + letter.id + ' was not discarded',
            function () { return 'dead letter ' + letter.id + ' of ' + entity.name + ' discarded'; });
        });
    });
  }

  // NEW_WRITES: how far legacy has taken the new service's changes, and the changes legacy refused.
  function renderReverseSync(section, entity) {
    var r = entity.reverseSync;
    if (!r || (!r.started && r.deadLetters === 0)) {
      return;
    }
    add(section, el('h3', 'reverse-sync-title', 'Reverse sync (new service → legacy)'));
    add(section, el('p', 'reverse-sync' + (r.caughtUp && r.deadLetters === 0 ? '' : ' alert'),
      (r.caughtUp ? 'caught up' : 'behind by at least ' + plural(r.behindAtLeast, 'change') + ', lag '
        + duration(durationMillis(r.lag))) + ' · cursor ' + r.cursor + ' of feed head ' + r.head + ' · applied '
      + r.applied + ', skipped ' + r.skipped + ', ' + plural(r.deadLetters, 'dead letter') + ' · consumer '
      + (r.consumer || 'none')));
    if (r.deadLetters === 0) {
      return;
    }
    var path = '/' + encodeURIComponent(entity.name) + '/reverse-dead-letters';
    button(section, 'retry-reverse', 'Retry ' + plural(r.deadLetters, 'reverse dead letter'),
      'Apply the new service\'s current state of each refused change to legacy now', function () {
        post(path, { action: 'retry' }, 'Reverse dead letters of ' + entity.name + ' were not retried', function (x) {
          return plural(x.retried, 'reverse dead letter') + ' of ' + entity.name + ' taken by legacy';
        });
      });
    var table = add(section, el('table', 'reverse-dead-letters'));
    var head = add(table, el('tr'));
    ['id', 'entity id', 'operation', 'version', 'attempts', 'legacy refused it', 'first', ''].forEach(function (h) {
      add(head, el('th', null, h)).scope = 'col';
    });
    (entity.oldestReverseDeadLetters || []).forEach(function (letter) {
      var row = add(table, el('tr'));
      row.dataset.id = String(letter.id);
      add(row, el('td', 'number', String(letter.id)));
      add(row, el('td', 'entity-id', letter.entityId));
      add(row, el('td', 'operation', letter.operation));
      add(row, el('td', 'number', String(letter.version)));
      add(row, el('td', 'number', String(letter.attempts)));
      add(row, el('td', 'error', letter.lastError || ''));
      add(row, el('td', 'created', time(letter.createdAt)));
      var actions = add(row, el('td', 'actions'));
      button(actions, 'discard', 'Discard', 'Delete this dead letter: legacy keeps what it has for the id',
        function () {
          post(path, { action: 'discard', id: letter.id }, 'Reverse dead letter ' + letter.id + ' was not discarded',
            function () { return 'reverse dead letter ' + letter.id + ' of ' + entity.name + ' discarded'; });
        });
    });
  }

  // Where the application still writes the entity to legacy (seen from NEW_READS on): the code to move first.
  function renderWritePaths(section, entity) {
    var paths = entity.legacyWritePaths || [];
    if (paths.length === 0) {
      return;
    }
    add(section, el('h3', 'write-paths-title', 'Legacy writes since the last move, by call site'));
    var table = add(section, el('table', 'write-paths'));
    var head = add(table, el('tr'));
    ['writes', 'call site', 'last'].forEach(function (h) { add(head, el('th', null, h)).scope = 'col'; });
    paths.forEach(function (p) {
      var row = add(table, el('tr'));
      add(row, el('td', 'number', String(p.writes)));
      add(row, el('td', 'call-site', p.callSite));
      add(row, el('td', 'created', time(p.lastSeen)));
    });
  }

  // A Java Duration as Jackson writes it: seconds with a fraction ("1.5"), or an ISO-8601 text ("PT1.5S").
  function durationMillis(value) {
    if (typeof value === 'number') {
      return value * 1000;
    }
    var m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(String(value || ''));
    return m ? ((+(m[1] || 0)) * 3600 + (+(m[2] || 0)) * 60 + (+(m[3] || 0))) * 1000 : 0;
  }

  function renderEntity(entity) {
    var section = el('section', 'entity');
    section.dataset.entity = entity.name;
    section.dataset.phase = entity.phase;
    var title = add(section, el('h2'));
    add(title, el('span', 'name', entity.name)).title = 'mirrored to /v1/' + entity.resource;
    add(title, el('span', null, ' '));
    add(title, el('span', 'phase', entity.phase));
    add(title, el('span', 'since', entity.changedAt ? ' since ' + time(entity.changedAt) : ' never moved'));
    if (entity.phase === 'NEW_READS') {
      add(title, el('span', 'canary-now', ', canary ' + entity.canaryPercent + ' %'));
    }
    if (entity.recordsUnreadable) {
      add(section, el('p', 'alert', "dualwrite's tables cannot be read: " + entity.recordsUnreadable));
    }
    var grid = add(section, el('div', 'grid'));
    var left = add(grid, el('div'));
    renderMoves(left, entity);
    renderGates(left, entity);
    renderMirror(left, entity);
    var right = add(grid, el('div'));
    renderHistory(right, entity.history);
    renderRuns(right, entity);
    renderDeadLetters(section, entity);
    renderReverseSync(section, entity);
    renderWritePaths(section, entity);
    return section;
  }

  // Keeps what a person is typing or choosing (reasons, canary, the forced move's target) across the refresh.
  function typed() {
    var values = {};
    main.querySelectorAll('section.entity input, section.entity select').forEach(function (input) {
      if (input.value) {
        values[input.closest('section').dataset.entity + ' ' + input.className] = input.value;
      }
    });
    return values;
  }

  function restore(values, focused) {
    main.querySelectorAll('section.entity input, section.entity select').forEach(function (input) {
      var key = input.closest('section').dataset.entity + ' ' + input.className;
      var choice = input.tagName === 'SELECT' && Array.prototype.some.call(input.options, function (o) {
        return o.value === values[key];
      });
      if (values[key] !== undefined && (input.className === 'reason' || choice || key === focused)) {
        input.value = values[key];
      }
      if (key === focused) {
        input.focus();
      }
    });
  }

  function render(report, details) {
    writable = report.writeOperationsEnabled;
    var values = typed();
    var active = document.activeElement;
    var focused = active && active.tagName === 'INPUT' && active.closest('section')
      ? active.closest('section').dataset.entity + ' ' + active.className : null;
    main.replaceChildren.apply(main, details.map(renderEntity));
    restore(values, focused);
    document.body.dataset.state = 'ready';
  }

  function json(url) {
    return fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          return errorOf(response).then(function (error) { throw new Error(error); });
        }
        return response.json();
      });
  }

  function load() {
    return json(endpoint).then(function (report) {
      return Promise.all(report.entities.map(function (entity) {
        return json(endpoint + '/' + encodeURIComponent(entity.name));
      })).then(function (details) {
        render(report, details);
      });
    }).then(null, function (failure) {
      say('Cannot read the dualwrite endpoint at ' + endpoint + ': ' + failure.message, true);
      document.body.dataset.state = 'error';
    });
  }

  load();
  setInterval(load, REFRESH_MILLIS);
}());
