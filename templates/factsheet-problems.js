// The preview's banner (factsheet serve, mkdocs serve only): while `factsheet check` would fail,
// every page lists the content problems. They come from factsheet-problems.json beside this
// script, fetched on each load (a page built before the problem still shows it), and are put on
// the page as text, never as markup.
(function () {
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  fetch(new URL("factsheet-problems.json", script.src), {cache: "no-store"})
    .then(function (response) { return response.ok ? response.json() : []; })
    .then(function (problems) {
      if (!Array.isArray(problems) || !problems.length) return;
      var box = document.createElement("div");
      box.className = "fs-problems";
      box.setAttribute("role", "alert");
      var title = document.createElement("strong");
      title.textContent = problems.length + (problems.length === 1 ? " content problem" : " content problems") +
        ": `factsheet check` fails, and publishing (factsheet build, mkdocs build, gh-deploy) refuses this content.";
      box.appendChild(title);
      var list = document.createElement("ul");
      problems.forEach(function (problem) {
        var item = document.createElement("li");
        item.textContent = String(problem);
        list.appendChild(item);
      });
      box.appendChild(list);
      var where = document.querySelector("article") || document.body;
      where.insertBefore(box, where.firstChild);
    })
    .catch(function () { /* no banner rather than a broken page */ });
})();
