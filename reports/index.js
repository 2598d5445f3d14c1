// index.js - the tables of a report's index.html sort and filter (mcasim
// report puts this file, from its templates folder, at the end of the
// page). Click a column heading to sort by it, again to reverse; numbers
// sort as numbers. Type in the box above a table to keep the rows that
// hold every word. A row that continues a block (blank leading cells)
// first takes the block's values, greyed, so every row stands alone.
// "#sort=T:C:asc|desc&filter=T:words" in the address does the same when
// the page opens (T: a table's id, or its number among the sortable ones
// from 0; C: the column, from 0). body gets data-tables-ready="N" when done.
(function () {
  'use strict';
  function cellText(c) { return c ? c.textContent.trim() : ''; }
  function bodyRows(t) {
    return Array.prototype.filter.call(t.rows, function (r) { return !r.querySelector('th'); });
  }
  function number(s) {
    var m = /^-?[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?/i.exec(s);
    return m ? parseFloat(m[0]) : null;
  }
  function unblock(t) {
    var prev = null;
    bodyRows(t).forEach(function (r) {
      for (var i = 0; prev && i < r.cells.length && cellText(r.cells[i]) === ''; i++) {
        r.cells[i].textContent = cellText(prev.cells[i]);
        r.cells[i].classList.add('rep');
      }
      prev = r;
    });
  }
  function sortBy(t, col, dir) {
    var rows = bodyRows(t);
    rows.sort(function (a, b) {
      var x = cellText(a.cells[col]), y = cellText(b.cells[col]);
      var nx = number(x), ny = number(y);
      var k = nx !== null && ny !== null ? nx - ny : x.localeCompare(y, undefined, {numeric: true});
      return dir * k;
    });
    var body = rows.length ? rows[0].parentNode : null;
    rows.forEach(function (r) { body.appendChild(r); });
    t.dataset.sorted = col + ':' + (dir > 0 ? 'asc' : 'desc');
  }
  function filterBy(t, words, count) {
    var ws = words.toLowerCase().split(/\s+/).filter(Boolean), shown = 0, rows = bodyRows(t);
    rows.forEach(function (r) {
      var text = r.textContent.toLowerCase();
      var keep = ws.every(function (w) { return text.indexOf(w) >= 0; });
      r.style.display = keep ? '' : 'none';
      shown += keep;
    });
    count.textContent = ws.length ? shown + ' of ' + rows.length + ' rows' : rows.length + ' rows';
    t.dataset.shown = shown;
  }
  var tables = Array.prototype.filter.call(document.querySelectorAll('table'), function (t) {
    return t.rows.length > 1 && t.rows[0].querySelector('th');
  });
  var boxes = [];
  tables.forEach(function (t, n) {
    unblock(t);
    var box = document.createElement('input'), count = document.createElement('span'), p = document.createElement('p');
    box.type = 'search';
    box.placeholder = 'filter rows';
    box.className = 'filter';
    box.id = 'filter-' + n;
    count.className = 'count';
    p.appendChild(box);
    p.appendChild(count);
    t.parentNode.insertBefore(p, t);
    box.addEventListener('input', function () { filterBy(t, box.value, count); });
    filterBy(t, '', count);
    boxes.push(box);
    Array.prototype.forEach.call(t.rows[0].cells, function (th, col) {
      th.classList.add('sort');
      th.title = 'sort by this column';
      th.addEventListener('click', function () {
        sortBy(t, col, t.dataset.sorted === col + ':asc' ? -1 : 1);
      });
    });
  });
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var m = /^(sort|filter)=([^:]+):(.*)$/.exec(decodeURIComponent(kv));
    var n = m ? tables.findIndex(function (t, i) { return t.id === m[2] || String(i) === m[2]; }) : -1;
    if (n < 0)
      return;
    if (m[1] === 'sort') {
      var s = /^([0-9]+):(asc|desc)$/.exec(m[3]);
      if (s)
        sortBy(tables[n], +s[1], s[2] === 'asc' ? 1 : -1);
    } else {
      boxes[n].value = m[3];
      boxes[n].dispatchEvent(new Event('input'));
    }
  });
  document.body.dataset.tablesReady = String(tables.length);
})();
