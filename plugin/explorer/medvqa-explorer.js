// MedVQA's "Ask MedVQA" panel on Orthanc Explorer's study page. Orthanc serves this file inside
// its explorer (the plugin hands it over with OrthancPluginExtendOrthancExplorer), next to
// Orthanc Explorer's own jQuery 1.x and jQuery Mobile 1.1: plain JavaScript, no build step.
// Every value from the server is inserted with .text(), never as HTML.
(function () {
  'use strict';

  var MAX_QUESTION = 500;  // the API refuses longer questions (pipeline::kMaxQuestionChars)

  function api(path) {
    // Orthanc Explorer lives at /app/explorer.html; relative, so a reverse proxy prefix still works.
    return '../medvqa/studies/' + encodeURIComponent(currentStudy()) + path;
  }

  function currentStudy() {
    return ($.mobile.pageData && $.mobile.pageData.uuid) || '';
  }

  function errorText(xhr) {
    try {
      return JSON.parse(xhr.responseText).error;
    } catch (e) {
      return 'HTTP ' + xhr.status + ' ' + (xhr.statusText || '');
    }
  }

  function percent(confidence) {
    return Math.round(confidence * 100) + ' %';
  }

  function sourceText(answer) {
    var model = answer.model || {};
    return answer.source === 'header' ? 'DICOM header' : 'model ' + model.name + ' ' + model.version;
  }

  var REFUSALS = {
    unsupported: 'Not answered: not a question this model answers',
    not_applicable: 'Not answered: the study cannot show this',
    uncertain: 'Not answered: the model is not sure enough'
  };

  // One answer: the answer in bold, then its confidence and where it came from. A refusal shows
  // why instead, and never the model's guess as if it were an answer.
  function answerLine(answer) {
    var status = answer.status || 'answered';
    if (status !== 'answered') {
      return $('<span class="medvqa-refusal">').attr('data-status', status)
        .append($('<strong class="medvqa-answer-text">').text(REFUSALS[status] || ('Not answered (' + status + ')')))
        .append($('<span class="medvqa-answer-detail">').text(' \u2014 ' + answer.reason));
    }
    return $('<span>')
      .append($('<strong class="medvqa-answer-text">').text(answer.answer))
      .append($('<span class="medvqa-answer-detail">')
        .text(' \u2014 confidence ' + percent(answer.confidence) + ', source: ' + sourceText(answer)));
  }

  function showAnswer(state, content) {
    $('#medvqa-answer').attr('data-state', state).empty().append(content);
  }

  function ask() {
    var question = $.trim($('#medvqa-question').val());
    if (question === '') {
      showAnswer('error', $('<span>').text('Type a question first.'));
      return;
    }
    showAnswer('asking', $('<em>').text('Asking\u2026'));
    $.ajax({
      url: api('/questions'),
      type: 'POST',
      contentType: 'application/json',
      dataType: 'json',
      data: JSON.stringify({ question: question, sr: false }),
      success: function (answer) { showAnswer(answer.status || 'answered', answerLine(answer)); },
      error: function (xhr) { showAnswer('error', $('<span>').text('MedVQA: ' + errorText(xhr))); }
    });
  }

  function standingItem(answer) {
    return $('<li>')
      .append($('<p class="medvqa-question">').text(answer.question))
      .append($('<p>').append(answerLine(answer)));
  }

  // `items`: jQuery objects, appended one by one (jQuery 1.x's append takes no array of them).
  function showStanding(items, state) {
    var list = $('#medvqa-standing');
    list.children('li:not([data-role="list-divider"])').remove();
    $.each(items, function (i, item) { list.append(item); });
    list.listview('refresh').attr('data-state', state);
  }

  function loadStanding() {
    showStanding([], 'loading');
    $.ajax({
      url: api('/answers'),
      dataType: 'json',
      success: function (result) {
        if (result.answers.length === 0) {
          showStanding([$('<li>').text('No standing answers (' + result.state + ').')], result.state);
          return;
        }
        var items = [];
        $.each(result.answers, function (i, answer) { items.push(standingItem(answer)); });
        showStanding(items, result.state);
      },
      error: function (xhr) {
        showStanding([$('<li>').text('MedVQA: ' + errorText(xhr))], 'error');
      }
    });
  }

  function panel() {
    var question = $('<input type="text" id="medvqa-question" data-mini="true">')
      .attr('maxlength', MAX_QUESTION)
      .attr('placeholder', 'Is there a pleural effusion?')
      .keypress(function (e) { if (e.which === 13) { ask(); } });
    var button = $('<a href="#" id="medvqa-ask" data-role="button" data-icon="search" data-mini="true">Ask</a>')
      .click(function (e) { e.preventDefault(); ask(); });
    return $('<div id="medvqa-panel">')
      .append($('<ul data-role="listview" data-inset="true" data-theme="d" data-divider-theme="c">')
        .append($('<li data-role="list-divider">').text('Ask MedVQA'))
        .append($('<li>').append(question, button))
        .append($('<li>').append($('<div id="medvqa-answer" data-state="idle">'))))
      .append($('<ul id="medvqa-standing" data-role="listview" data-inset="true" data-theme="d" data-divider-theme="c">')
        .append($('<li data-role="list-divider">').text('Standing answers (MedVQA)')));
  }

  // Before jQuery Mobile enhances the study page, so the panel is enhanced with it.
  $('#study').live('pagebeforecreate', function () {
    $('#list-series').parent().append(panel());
  });

  // Each time a study is shown: a clean question box and that study's standing answers.
  $('#study').live('pagebeforeshow', function () {
    $('#medvqa-question').val('');
    showAnswer('idle', $('<span class="medvqa-hint">').text('Type a question about this study and press Ask.'));
    loadStanding();
  });
}());
