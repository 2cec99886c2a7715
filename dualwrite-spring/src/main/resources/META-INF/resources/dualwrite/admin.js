// The dualwrite admin page: reads the dualwrite Actuator endpoint and renders it. Every value is set as text, never
// as HTML. The endpoint's URL is ../actuator/dualwrite (relative to this page), or the page's ?endpoint= parameter
// when Actuator lives elsewhere (another base path or management port).
(function () {
  'use strict';

  var REFRESH_MILLIS = 5000;
  var endpoint = new URLSearchParams(window.location.search).get('endpoint') || '../actuator/dualwrite';
  var tbody = document.querySelector('#entities tbody');
  var deadLetters = document.getElementById('dead-letters');
  var message = document.getElementById('message');
  document.getElementById('endpoint-link').href = endpoint;

  function say(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : '';
  }

  function cell(row, text, className) {
    var td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function letters(count) {
    return count + (count === 1 ? ' dead letter' : ' dead letters');
  }

  function lag(millis) {
    if (millis < 1000) {
      return millis + ' ms';
    }
    var seconds = Math.floor(millis / 1000);
    if (seconds < 60) {
      return (millis / 1000).toFixed(1) + ' s';
    }
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
      return minutes + ' min ' + (seconds % 60) + ' s';
    }
    return Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  // The shadow mismatch rate from the application's read router for the entity, if it has one.
  function mismatch(reads) {
    if (!reads) {
      return '–';
    }
    if (reads.compared === 0) {
      return 'none compared';
    }
    return (reads.mismatchRate * 100).toFixed(1) + ' % of ' + reads.compared;
  }

  // Spring Security's cookie CSRF token, when the application uses one.
  function csrfHeaders() {
    var match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    var headers = { 'Content-Type': 'application/json', 'Accept': 'application/json' };
    if (match) {
      headers['X-XSRF-TOKEN'] = decodeURIComponent(match[1]);
    }
    return headers;
  }

  function errorOf(response) {
    return response.json().then(function (body) {
      return body && body.error ? body.error : response.status + ' ' + response.statusText;
    }, function () {
      return response.status + ' ' + response.statusText;
    });
  }

  function retry(entity, button) {
    button.disabled = true;
    fetch(endpoint + '/' + encodeURIComponent(entity) + '/dead-letters', {
      method: 'POST', headers: csrfHeaders(), body: '{}', credentials: 'same-origin'
    }).then(function (response) {
      if (!response.ok) {
        return errorOf(response).then(function (error) {
          say('Dead letters of ' + entity + ' were not retried: ' + error, true);
        });
      }
      return response.json().then(function (result) {
        say(letters(result.retried) + ' of ' + entity + ' put back in line', false);
      });
    }, function (failure) {
      say('Dead letters of ' + entity + ' were not retried: ' + failure, true);
    }).then(load);
  }

  // The next forward move and whether each of its gates holds now, e.g. "SHADOW_READS: ✗ backfill-finished".
  function gatesText(entity) {
    if (!entity.nextPhase) {
      return '–';
    }
    if (entity.nextGates.length === 0) {
      return entity.nextPhase + ': no gates';
    }
    return entity.nextPhase + ': ' + entity.nextGates.map(function (gate) {
      return (gate.passed ? '✓ ' : '✗ ') + gate.gate;
    }).join(', ');
  }

  function backfillText(backfill) {
    if (!backfill) {
      return 'not run';
    }
    return backfill.rowsDone + ' rows' + (backfill.finishedAt ? ', finished' : ', not finished');
  }

  function verificationText(report) {
    if (!report) {
      return 'none';
    }
    var differences = report.missing + report.extra + report.different;
    return differences === 0 ? 'clean, ' + report.compared + ' rows'
      : differences + ' of ' + report.compared + ' rows differ';
  }

  function renderEntity(entity, writable) {
    var row = document.createElement('tr');
    row.dataset.entity = entity.name;
    if (entity.deadLetters > 0) {
      row.className = 'has-dead-letters';
    }
    var name = cell(row, entity.name, 'name');
    name.title = 'mirrored to /v1/' + entity.resource;
    cell(row, entity.phase, 'phase').title = 'may move to ' + entity.allowedMoves.join(' or ');
    var gates = cell(row, gatesText(entity), 'gates');
    gates.title = entity.nextGates.map(function (gate) {
      return gate.gate + ': ' + gate.measured + ' (requires ' + gate.required + ')';
    }).join('\n');
    cell(row, entity.canaryPercent + ' %', 'canary number');
    cell(row, String(entity.backlog), 'backlog number');
    cell(row, lag(entity.oldestUndeliveredAgeMillis), 'lag number');
    cell(row, backfillText(entity.backfill), 'backfill').title = entity.backfill
      ? 'started ' + entity.backfill.startedAt + (entity.backfill.finishedAt ? ', finished ' + entity.backfill.finishedAt
        : '') : 'no backfill has run';
    cell(row, verificationText(entity.lastVerification), 'verification').title = entity.lastVerification
      ? 'missing ' + entity.lastVerification.missing + ', extra ' + entity.lastVerification.extra + ', different '
        + entity.lastVerification.different + '; finished ' + entity.lastVerification.finishedAt
      : 'no verification has finished';
    cell(row, mismatch(entity.reads), 'mismatch number').title = entity.reads
      ? 'shadow reads compared by this node, since start' : 'no read router for ' + entity.name;
    cell(row, String(entity.delivered), 'delivered number');
    cell(row, String(entity.retried), 'retried number');
    cell(row, String(entity.deadLetters), 'dead-letters number');
    var actions = cell(row, '', 'actions');
    if (entity.deadLetters > 0) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'retry';
      button.dataset.entity = entity.name;
      button.textContent = 'Retry ' + letters(entity.deadLetters);
      button.disabled = !writable;
      button.title = writable ? 'Put every dead letter of ' + entity.name + ' back in line for delivery'
        : 'Write operations are off: set dualwrite.endpoint.write-operations-enabled=true';
      button.addEventListener('click', function () { retry(entity.name, button); });
      actions.appendChild(button);
    }
    return row;
  }

  function renderDeadLetters(entity) {
    var section = document.createElement('div');
    section.dataset.entity = entity.name;
    var title = document.createElement('h2');
    title.textContent = 'Dead letters of ' + entity.name + ' (oldest ' + entity.oldestDeadLetters.length + ' of '
      + entity.deadLetters + ')';
    section.appendChild(title);
    var table = document.createElement('table');
    table.className = 'dead-letters';
    var head = document.createElement('tr');
    ['id', 'entity id', 'operation', 'version', 'attempts', 'status', 'error', 'appended'].forEach(function (h) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      head.appendChild(th);
    });
    table.appendChild(head);
    entity.oldestDeadLetters.forEach(function (letter) {
      var row = document.createElement('tr');
      row.dataset.id = String(letter.id);
      cell(row, String(letter.id), 'number');
      cell(row, letter.entityId, 'entity-id');
      cell(row, letter.operation, 'operation');
      cell(row, String(letter.version), 'number');
      cell(row, String(letter.attempts), 'number');
      cell(row, letter.lastStatus == null ? '–' : String(letter.lastStatus), 'number');
      cell(row, letter.lastError || '', 'error');
      cell(row, letter.createdAt, 'created');
      table.appendChild(row);
    });
    section.appendChild(table);
    return section;
  }

  function render(report) {
    tbody.replaceChildren.apply(tbody, report.entities.map(function (entity) {
      return renderEntity(entity, report.writeOperationsEnabled);
    }));
    deadLetters.replaceChildren.apply(deadLetters, report.entities.filter(function (entity) {
      return entity.oldestDeadLetters && entity.oldestDeadLetters.length > 0;
    }).map(renderDeadLetters));
    document.body.dataset.state = 'ready';
  }

  function load() {
    return fetch(endpoint, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          return errorOf(response).then(function (error) {
            throw new Error(error);
          });
        }
        return response.json();
      })
      .then(render, function (failure) {
        say('Cannot read the dualwrite endpoint at ' + endpoint + ': ' + failure.message, true);
        document.body.dataset.state = 'error';
      });
  }

  load();
  setInterval(load, REFRESH_MILLIS);
}());
