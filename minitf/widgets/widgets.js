// The browser half of the widgets of minitf/widgets/jupyter.py.  Python draws every picture as
// SVG.  For GraphWidget and RunStepper this file shows it, zooms and pans it, sends clicks back
// (select an op, expand or collapse a name scope, show the whole graph) and, for a RunStepper,
// highlights the ops of the run step by step; for TrainingPlot it shows the SVG as it is redrawn.

// While the live widget runs, the static copy of its picture (the output before it) is hidden.
function hideStaticCopy(model) {
  const style = document.createElement("style");
  style.textContent = `[data-minitf-static="${model.get("static_id")}"] { display: none; }`;
  document.head.appendChild(style);
  return () => style.remove();
}

function renderPlot({ model, el }) {
  const draw = () => { el.innerHTML = model.get("svg"); };
  model.on("change:svg", draw);
  draw();
  return hideStaticCopy(model);
}

function renderGraph({ model, el }) {
  el.classList.add("minitf-graph");
  const controls = el.appendChild(document.createElement("div"));
  controls.className = "minitf-controls";
  const stepControls = controls.appendChild(document.createElement("span"));
  stepControls.className = "minitf-step-controls";
  const viewControls = controls.appendChild(document.createElement("span"));
  viewControls.className = "minitf-view-controls";
  const canvas = el.appendChild(document.createElement("div"));
  canvas.className = "minitf-canvas";
  const details = el.appendChild(document.createElement("div"));
  details.className = "minitf-details";
  const showStatic = hideStaticCopy(model);
  let timer = null;
  let zoom = 1;
  let anchor = null;   // a scope just clicked open or shut, and where its box was on the screen

  const steps = () => model.get("steps");
  const boxOf = (opName) => canvas.querySelector(`[data-node="${CSS.escape(model.get("members")[opName] ?? "")}"]`);
  const button = (parent, text, title, onclick) => {
    const b = parent.appendChild(document.createElement("button"));
    b.textContent = text;
    b.title = title;
    b.addEventListener("click", onclick);
    return b;
  };

  function setStep(k) {
    model.set("step", Math.max(0, Math.min(steps().length, k)));
    model.save_changes();
    highlight();
  }

  function toggleScope(scope, element) {
    const where = element.getBoundingClientRect();
    const box = canvas.getBoundingClientRect();
    anchor = { scope, x: (where.left + where.right) / 2 - box.left, y: where.top - box.top };
    const expanded = model.get("expanded");
    model.set("expanded", expanded.includes(scope)
      ? expanded.filter((s) => s !== scope && !s.startsWith(scope + "/"))
      : [...expanded, scope]);
    model.save_changes();
  }

  canvas.addEventListener("click", (event) => {
    if (dragged) return;
    const node = event.target.closest("[data-node]");
    const frame = event.target.closest("[data-scope]");
    if (node && node.dataset.group) toggleScope(node.dataset.node, node);
    else if (node) {
      model.set("selected", node.dataset.node);
      model.save_changes();
      highlight();
    } else if (frame) {
      const scope = frame.dataset.scope;
      toggleScope(scope, canvas.querySelector(`g.frame[data-scope="${CSS.escape(scope)}"] > rect`));
    }
  });

  // ---- zoom (buttons, ctrl + wheel) and pan (drag the background) ----
  function setZoom(z) {
    zoom = Math.max(0.2, Math.min(3, z));
    const svg = canvas.querySelector("svg");
    if (!svg) return;
    svg.style.width = `${svg.width.baseVal.value * zoom}px`;
    svg.style.height = `${svg.height.baseVal.value * zoom}px`;
    zoomLabel.textContent = `${Math.round(zoom * 100)}%`;
  }
  button(viewControls, "\u2212", "zoom out", () => setZoom(zoom / 1.25));
  const zoomLabel = viewControls.appendChild(document.createElement("span"));
  zoomLabel.className = "minitf-zoom";
  button(viewControls, "+", "zoom in", () => setZoom(zoom * 1.25));
  button(viewControls, "fit", "fit the picture into the view", () => {
    const svg = canvas.querySelector("svg");
    if (svg) setZoom(Math.min(canvas.clientWidth / svg.width.baseVal.value, canvas.clientHeight / svg.height.baseVal.value, 1));
  });
  const wholeBox = viewControls.appendChild(document.createElement("label"));
  wholeBox.title = "also show, greyed, the rest of the graph";
  const whole = wholeBox.appendChild(document.createElement("input"));
  whole.type = "checkbox";
  wholeBox.appendChild(document.createTextNode(" whole graph"));
  whole.addEventListener("change", () => {
    model.set("whole", whole.checked);
    model.save_changes();
  });
  canvas.addEventListener("wheel", (event) => {
    if (!event.ctrlKey && !event.metaKey) return;
    event.preventDefault();
    setZoom(zoom * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
  }, { passive: false });
  let drag = null;
  let dragged = false;
  canvas.addEventListener("pointerdown", (event) => {
    if (event.target.closest("[data-node], [data-scope]")) return;
    drag = { x: event.clientX, y: event.clientY, left: canvas.scrollLeft, top: canvas.scrollTop };
    dragged = false;
  });
  const pan = (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    dragged = dragged || Math.abs(dx) + Math.abs(dy) > 3;
    canvas.scrollLeft = drag.left - dx;
    canvas.scrollTop = drag.top - dy;
  };
  window.addEventListener("pointermove", pan);
  const endDrag = () => { drag = null; setTimeout(() => { dragged = false; }, 0); };
  window.addEventListener("pointerup", endDrag);

  // ---- the stepper's controls: back, forward, play, and a slider over the ops of the run ----
  button(stepControls, "|\u25c0", "before the run", () => setStep(0));
  button(stepControls, "\u25c0", "one op back", () => setStep(model.get("step") - 1));
  const slider = stepControls.appendChild(document.createElement("input"));
  slider.type = "range";
  slider.min = 0;
  slider.addEventListener("input", () => setStep(Number(slider.value)));
  button(stepControls, "\u25b6", "run the next op", () => setStep(model.get("step") + 1));
  const play = button(stepControls, "play", "play the run", () => {
    if (timer) return stop();
    if (model.get("step") >= steps().length) setStep(0);
    play.textContent = "pause";
    timer = setInterval(() => (model.get("step") < steps().length ? setStep(model.get("step") + 1) : stop()), 700);
  });
  const caption = stepControls.appendChild(document.createElement("span"));
  caption.className = "minitf-caption";

  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "play";
  }

  function highlight() {
    const list = steps();
    const k = model.get("step");
    for (const g of canvas.querySelectorAll(".node")) g.classList.remove("done", "current", "selected");
    list.slice(0, k).forEach((s) => boxOf(s.op)?.classList.add("done"));
    if (k > 0) boxOf(list[k - 1].op)?.classList.add("current");
    const selected = canvas.querySelector(`[data-node="${CSS.escape(model.get("selected"))}"]`);
    selected?.classList.add("selected");
    stepControls.style.display = list.length ? "" : "none";
    wholeBox.style.display = model.get("partial") ? "" : "none";
    whole.checked = model.get("whole");
    slider.max = list.length;
    slider.value = k;
    caption.textContent = k === 0
      ? `${list.length} ops to run (the grey ones are not needed). Step through them:`
      : `step ${k} of ${list.length}: ${list[k - 1].op} (${list[k - 1].type})`;
    showDetails();
  }

  function showDetails() {
    const info = model.get("details");
    const list = steps();
    const k = model.get("step");
    details.replaceChildren();
    if (list.length && k > 0) {
      const now = details.appendChild(document.createElement("div"));
      now.className = "minitf-step";
      now.textContent = `${list[k - 1].op} produced:`;
      details.appendChild(document.createElement("pre")).textContent = list[k - 1].value || "(no output)";
    }
    if (!info.title) return;
    const table = details.appendChild(document.createElement("table"));
    const head = table.insertRow();
    head.insertCell().textContent = info.title;
    head.className = "minitf-title";
    for (const [key, value] of info.rows) {
      const row = table.insertRow();
      row.insertCell().textContent = key;
      row.insertCell().textContent = value;
    }
    if (info.value) details.appendChild(document.createElement("pre")).textContent = info.value;
  }

  // A scope opened or shut: scroll so that what replaced its box has its top centre where the
  // box had its top centre, as far as the scroll bars allow.
  function keepAnchor() {
    if (!anchor) return;
    const { scope, x, y } = anchor;
    anchor = null;
    const now = canvas.querySelector(`[data-scope="${CSS.escape(scope)}"] rect, [data-node="${CSS.escape(scope)}"] > rect:last-of-type`);
    if (!now) return;
    const where = now.getBoundingClientRect();
    const box = canvas.getBoundingClientRect();
    canvas.scrollLeft += (where.left + where.right) / 2 - box.left - x;
    canvas.scrollTop += where.top - box.top - y;
  }

  function draw() {
    canvas.innerHTML = model.get("svg");
    setZoom(zoom);
    highlight();
    keepAnchor();
  }

  model.on("change:svg", draw);
  model.on("change:step", highlight);
  model.on("change:steps", highlight);
  model.on("change:partial", highlight);
  model.on("change:details", showDetails);
  draw();
  return () => {
    clearInterval(timer);
    window.removeEventListener("pointermove", pan);
    window.removeEventListener("pointerup", endDrag);
    showStatic();
  };
}

export default { render: (view) => (view.model.get("kind") === "plot" ? renderPlot(view) : renderGraph(view)) };
