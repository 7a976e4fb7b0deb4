// The recurse trace viewer: one model's answer to one puzzle at every supervision step. Reads the
// recurse.trace/1 files the server lists under /api/info; builds the page with DOM nodes (textContent only, so
// nothing in a trace is ever parsed as HTML).

const IGNORE = -100;
const $ = (id) => document.getElementById(id);

const state = { info: null, trace: null, example: 0, step: 1, chart: null, timer: null };
window.recurseViewer = state;

function sigmoid(x) {
  return 1 / (1 + Math.exp(-x));
}

function fmt(x, digits = 3) {
  return Number.isFinite(x) ? x.toFixed(digits) : String(x);
}

function showMessage(text) {
  const box = $("message");
  box.textContent = text;
  box.hidden = false;
  $("main").hidden = true;
}

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

// ---- what a cell shows ------------------------------------------------------------------------------------

/** Cells to draw for a panel: all of them, or (ARC) the bounding box of the cells with content. */
function cropBox(render, ...rows) {
  if (!render.crop) return { r0: 0, c0: 0, r1: render.rows - 1, c1: render.cols - 1 };
  let r1 = -1;
  let c1 = -1;
  for (const tokens of rows) {
    tokens.forEach((t, i) => {
      if (t === IGNORE || render.empty.includes(t)) return;
      r1 = Math.max(r1, Math.floor(i / render.cols));
      c1 = Math.max(c1, i % render.cols);
    });
  }
  return { r0: 0, c0: 0, r1: Math.max(r1, 0), c1: Math.max(c1, 0) };
}

/**
 * Draw one grid. `marks(i)` returns extra class names for cell i (changed, wrong, given).
 */
function drawGrid(el, render, tokens, box, marks) {
  el.replaceChildren();
  el.className = `grid ${render.kind}`;
  const cols = box.c1 - box.c0 + 1;
  el.style.gridTemplateColumns = `repeat(${cols}, var(--cell))`;
  for (let r = box.r0; r <= box.r1; r++) {
    for (let c = box.c0; c <= box.c1; c++) {
      const i = r * render.cols + c;
      const t = tokens[i];
      const cell = document.createElement("div");
      cell.className = "cell";
      cell.dataset.row = String(r);
      cell.dataset.col = String(c);
      cell.dataset.token = String(t);
      const empty = t === IGNORE || render.empty.includes(t);
      if (empty) cell.classList.add("empty");
      cell.textContent = empty ? "" : (render.symbols[String(t)] ?? String(t));
      if (render.colors && !empty) cell.style.background = render.colors[String(t)] ?? "#fff";
      if (render.box) {
        if ((c + 1) % render.box[1] === 0 && c + 1 < render.cols) cell.classList.add("box-right");
        if ((r + 1) % render.box[0] === 0 && r + 1 < render.rows) cell.classList.add("box-bottom");
      }
      for (const m of marks(i)) cell.classList.add(m);
      el.appendChild(cell);
    }
  }
}

/** Per step: which cells changed since the previous step and which differ from the target. */
function stepDiff(example, stepIndex) {
  const pred = example.steps[stepIndex].prediction;
  const prev = stepIndex > 0 ? example.steps[stepIndex - 1].prediction : null;
  const changed = new Set();
  const wrong = new Set();
  pred.forEach((t, i) => {
    if (prev && prev[i] !== t) changed.add(i);
    const label = example.labels[i];
    if (label !== IGNORE && label !== t) wrong.add(i);
  });
  return { changed, wrong };
}

// ---- page parts ----------------------------------------------------------------------------------------

function renderPuzzleList() {
  const list = $("puzzle-list");
  list.replaceChildren();
  state.trace.examples.forEach((ex, k) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    const last = ex.steps[ex.steps.length - 1];
    const name = document.createElement("span");
    name.textContent = `#${ex.index}${ex.puzzleName ? " " + ex.puzzleName : ""}`;
    const mark = document.createElement("span");
    mark.className = last?.correct ? "ok" : "bad";
    mark.textContent = last?.correct ? "✓" : "✗";
    button.append(name, mark);
    button.dataset.example = String(k);
    button.addEventListener("click", () => selectExample(k));
    li.appendChild(button);
    list.appendChild(li);
  });
}

function renderStepsTable(example) {
  const body = $("steps-table").querySelector("tbody");
  body.replaceChildren();
  example.steps.forEach((s, k) => {
    const { changed, wrong } = stepDiff(example, k);
    const tr = document.createElement("tr");
    tr.dataset.step = String(s.step);
    if (s.step === example.stepsTaken) tr.classList.add("halted");
    for (const text of [String(s.step), fmt(s.qHalt), fmt(sigmoid(s.qHalt)), s.correct ? "✓" : "✗", k === 0 ? "–" : String(changed.size), String(wrong.size)]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.appendChild(td);
    }
    tr.addEventListener("click", () => selectStep(s.step));
    body.appendChild(tr);
  });
}

function renderChart(example) {
  const Chart = window.Chart;
  if (!Chart) return;
  const labels = state.trace.stepAccuracy.map((_, k) => String(k + 1));
  const halt = example.steps.map((s) => sigmoid(s.qHalt));
  const radius = labels.map((_, k) => (k + 1 === state.step ? 6 : 2));
  if (!state.chart) {
    state.chart = new Chart($("accuracy-chart"), {
      type: "line",
      data: {
        labels,
        datasets: [
          { label: `exact accuracy (${state.trace.evaluatedExamples} examples)`, data: state.trace.stepAccuracy, borderColor: "#0074D9", pointRadius: radius },
          { label: "p(halt), this puzzle", data: halt, borderColor: "#FF851B", borderDash: [4, 3], pointRadius: radius },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 1 }, x: { title: { display: true, text: "supervision step" } } },
      },
    });
  } else {
    state.chart.data.labels = labels;
    state.chart.data.datasets[0].data = state.trace.stepAccuracy;
    state.chart.data.datasets[0].label = `exact accuracy (${state.trace.evaluatedExamples} examples)`;
    state.chart.data.datasets[1].data = halt;
    for (const d of state.chart.data.datasets) d.pointRadius = radius;
    state.chart.update();
  }
}

function renderStep() {
  const trace = state.trace;
  const example = trace.examples[state.example];
  const k = state.step - 1;
  const s = example.steps[k];
  const render = trace.render;
  const { changed, wrong } = stepDiff(example, k);
  const givens = new Set();
  example.inputs.forEach((t, i) => {
    if (render.kind === "sudoku" && !render.empty.includes(t)) givens.add(i);
  });
  const inputBox = cropBox(render, example.inputs);
  const targetBox = cropBox(render, example.labels);
  const answerBox = cropBox(render, example.labels, s.prediction);
  drawGrid($("grid-input"), render, example.inputs, inputBox, (i) => (givens.has(i) ? ["given"] : []));
  drawGrid($("grid-target"), render, example.labels, targetBox, (i) => (givens.has(i) ? ["given"] : []));
  drawGrid($("grid-answer"), render, s.prediction, answerBox, (i) => {
    const m = [];
    if (givens.has(i)) m.push("given");
    if (changed.has(i)) m.push("changed");
    if (wrong.has(i)) m.push("wrong");
    return m;
  });
  $("answer-caption").textContent = `Model answer, step ${s.step}`;
  $("step-label").textContent = `step ${s.step} / ${example.steps.length}`;
  $("step-slider").max = String(example.steps.length);
  $("step-slider").value = String(s.step);

  const stats = $("step-stats");
  stats.replaceChildren();
  const add = (text, cls, key) => {
    const span = document.createElement("span");
    span.textContent = text;
    if (cls) span.className = cls;
    if (key) span.dataset.stat = key;
    stats.append(span, document.createTextNode("  ·  "));
  };
  add(`q_halt ${fmt(s.qHalt)}`, "", "q-halt");
  add(`p(halt) ${fmt(sigmoid(s.qHalt))}`, "", "p-halt");
  if (s.qContinue !== undefined) add(`q_continue ${fmt(s.qContinue)}`, "", "q-continue");
  add(s.correct ? "correct" : "not correct", s.correct ? "ok" : "bad", "correct");
  add(k === 0 ? "first step" : `${changed.size} cell(s) changed`, "", "changed");
  add(`${wrong.size} cell(s) wrong`, "", "wrong");
  if (s.step === example.stepsTaken) add("halted here", "", "halted");
  stats.lastChild?.remove();

  for (const tr of $("steps-table").querySelectorAll("tbody tr")) tr.classList.toggle("current", tr.dataset.step === String(s.step));
  for (const b of $("puzzle-list").querySelectorAll("button")) b.setAttribute("aria-current", String(b.dataset.example === String(state.example)));
  renderChart(example);
  document.body.dataset.example = String(state.example);
  document.body.dataset.step = String(s.step);
}

function selectStep(step) {
  const n = state.trace.examples[state.example].steps.length;
  state.step = Math.min(Math.max(1, step), n);
  renderStep();
}

function selectExample(k) {
  state.example = Math.min(Math.max(0, k), state.trace.examples.length - 1);
  state.step = 1;
  renderStepsTable(state.trace.examples[state.example]);
  renderStep();
}

async function loadTrace(id) {
  document.body.dataset.ready = "0";
  state.trace = await getJson(`/api/traces/${encodeURIComponent(id)}`);
  const t = state.trace;
  $("trace-summary").textContent =
    `${t.model.name} on ${t.dataset.name} (${t.dataset.kind}, ${t.dataset.split}): ${t.examples.length} of ${t.evaluatedExamples} examples, ` +
    `${t.numSteps} steps, final exact accuracy ${fmt(t.stepAccuracy[t.stepAccuracy.length - 1] ?? NaN)}`;
  if (t.examples.length === 0) return showMessage("This trace holds no examples.");
  $("message").hidden = true;
  $("main").hidden = false;
  renderPuzzleList();
  selectExample(0);
  document.body.dataset.ready = "1";
}

function wireControls() {
  $("first").addEventListener("click", () => selectStep(1));
  $("prev").addEventListener("click", () => selectStep(state.step - 1));
  $("next").addEventListener("click", () => selectStep(state.step + 1));
  $("last").addEventListener("click", () => selectStep(Infinity));
  $("step-slider").addEventListener("input", (e) => selectStep(Number(e.target.value)));
  $("trace-select").addEventListener("change", (e) => loadTrace(e.target.value));
  $("play").addEventListener("change", (e) => {
    clearInterval(state.timer);
    if (!e.target.checked) return;
    state.timer = setInterval(() => {
      const n = state.trace.examples[state.example].steps.length;
      selectStep(state.step >= n ? 1 : state.step + 1);
    }, 700);
  });
  document.addEventListener("keydown", (e) => {
    if (!state.trace || e.target instanceof HTMLSelectElement) return;
    if (e.key === "ArrowRight") selectStep(state.step + 1);
    else if (e.key === "ArrowLeft") selectStep(state.step - 1);
    else if (e.key === "Home") selectStep(1);
    else if (e.key === "End") selectStep(Infinity);
    else if (e.key === "ArrowDown") selectExample(state.example + 1);
    else if (e.key === "ArrowUp") selectExample(state.example - 1);
    else return;
    e.preventDefault();
  });
}

async function main() {
  wireControls();
  try {
    state.info = await getJson("/api/info");
  } catch (err) {
    return showMessage(`Could not reach the viewer server: ${err.message}`);
  }
  const traces = state.info.traces;
  if (traces.length === 0) {
    document.body.dataset.ready = "1";
    return showMessage(state.info.message ?? "No traces here. Run `recurse eval ... --out DIR`, then `recurse view DIR`.");
  }
  const select = $("trace-select");
  for (const t of traces) {
    const option = document.createElement("option");
    option.value = t.id;
    option.textContent = `${t.model} × ${t.dataset}`;
    select.appendChild(option);
  }
  const wanted = new URLSearchParams(location.search).get("trace");
  const first = traces.find((t) => t.id === wanted) ?? traces[0];
  select.value = first.id;
  await loadTrace(first.id);
}

main();
