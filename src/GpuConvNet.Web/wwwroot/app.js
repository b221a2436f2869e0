// The drawing page of `gpuconvnet serve`: strokes on a canvas, sent as PNG to /api/predict while drawing.
"use strict";
(() => {
  const pad = document.getElementById("pad");
  const context = pad.getContext("2d");
  const seenCanvas = document.getElementById("seen");
  const seen = seenCanvas.getContext("2d");
  let classes = [];
  const bars = document.getElementById("bars");
  const error = document.getElementById("error");
  const topDigit = document.getElementById("top-digit");
  const topProbability = document.getElementById("top-probability");
  const timing = document.getElementById("timing");
  const advice = document.getElementById("advice");
  const undoButton = document.getElementById("undo");
  // MNIST's strokes are about a tenth of the digit's height: a twelfth of the pad, for a digit drawn across most of it.
  const strokeWidth = pad.width / 12;
  let drawing = false;
  let last = null;
  let timer = 0;
  let sequence = 0;
  // Strokes are dark on white: say so. An opened image may be either way round: let the server decide.
  let invert = "yes";
  // The pad as it was before each stroke, clear or opened image, for Undo (a few dozen steps are plenty).
  const undoSteps = [];
  const maxUndoSteps = 30;

  function remember() {
    undoSteps.push({ pixels: context.getImageData(0, 0, pad.width, pad.height), invert });
    if (undoSteps.length > maxUndoSteps) undoSteps.shift();
    undoButton.disabled = false;
  }

  function undo() {
    const step = undoSteps.pop();
    undoButton.disabled = undoSteps.length === 0;
    if (!step) return;
    clearTimeout(timer);
    sequence++;
    context.putImageData(step.pixels, 0, 0);
    invert = step.invert;
    if (inkBox()) {
      predictPad();
    } else {
      clearResult();
      document.body.dataset.state = "clear";
    }
  }

  function clearPad() {
    context.fillStyle = "#fff";
    context.fillRect(0, 0, pad.width, pad.height);
    invert = "yes";
  }

  function point(event) {
    const box = pad.getBoundingClientRect();
    return { x: (event.clientX - box.left) * pad.width / box.width, y: (event.clientY - box.top) * pad.height / box.height };
  }

  function stroke(from, to) {
    context.strokeStyle = "#000";
    context.lineWidth = strokeWidth;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
  }

  pad.addEventListener("pointerdown", event => {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    // A new stroke makes any answer still on its way, or still to be asked for, stale: it is about the drawing without it.
    clearTimeout(timer);
    sequence++;
    remember();
    document.body.dataset.state = "drawing";
    drawing = true;
    last = point(event);
    stroke(last, last);
  });
  pad.addEventListener("pointermove", event => {
    if (!drawing) return;
    const next = point(event);
    stroke(last, next);
    last = next;
    schedule(250);
  });
  for (const type of ["pointerup", "pointercancel"]) {
    pad.addEventListener(type, () => {
      if (!drawing) return;
      drawing = false;
      schedule(60);
    });
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(predictPad, delay);
  }

  function predictPad() {
    adviseOn(inkBox());
    pad.toBlob(blob => send(blob, "image/png", invert), "image/png");
  }

  // The box around the dark strokes on the pad, in pad pixels; null when the pad is blank.
  function inkBox() {
    const data = context.getImageData(0, 0, pad.width, pad.height).data;
    let left = pad.width, top = pad.height, right = -1, bottom = -1;
    for (let y = 0; y < pad.height; y++) {
      for (let x = 0; x < pad.width; x++) {
        if (data[4 * (y * pad.width + x)] < 128) {
          left = Math.min(left, x); right = Math.max(right, x);
          top = Math.min(top, y); bottom = Math.max(bottom, y);
        }
      }
    }
    return right < 0 ? null : { left, top, right, bottom };
  }

  // The model learnt from digits drawn large and centred: the server scales any drawing up, but a small one's strokes
  // come out thick and blurred, and the answer is less to be trusted. Say so, as the preview shows it.
  function adviseOn(box) {
    if (!box || invert !== "yes") {
      advice.hidden = true;
      return;
    }
    const size = Math.max(box.right - box.left, box.bottom - box.top) / pad.width;
    const offX = Math.abs((box.left + box.right) / 2 - pad.width / 2) / pad.width;
    const offY = Math.abs((box.top + box.bottom) / 2 - pad.height / 2) / pad.height;
    const small = size < 0.45, offCentre = Math.max(offX, offY) > 0.2;
    advice.hidden = !small && !offCentre;
    advice.textContent = `Your drawing is ${small && offCentre ? "small and off-centre" : small ? "small" : "off-centre"}: the answer is less sure than it looks. Draw it large, in the middle of the pad, as the model's training digits are.`;
  }

  async function send(body, type, polarity) {
    const mine = ++sequence;
    document.body.dataset.state = "busy";
    try {
      const response = await fetch(`/api/predict?invert=${polarity}`, { method: "POST", headers: { "Content-Type": type || "application/octet-stream" }, body });
      const answer = await response.json().catch(() => ({ error: `the server answered ${response.status}` }));
      if (mine !== sequence) return;       // a newer stroke's answer is on its way
      if (!response.ok) return showError(answer.error || `the server answered ${response.status}`);
      showPrediction(answer);
    } catch (failure) {
      if (mine === sequence) showError(`The server cannot be reached (${failure.message}). Is 'gpuconvnet serve' still running? Start it again in a terminal, then press Predict.`);
    }
  }

  // No answer on screen: the bars, the preview and the timing would otherwise speak of an earlier drawing.
  function clearResult() {
    error.hidden = true;
    topDigit.textContent = "–";
    topProbability.textContent = "";
    bars.replaceChildren();
    seen.clearRect(0, 0, seenCanvas.width, seenCanvas.height);
    timing.textContent = "";
  }

  function showError(message) {
    clearResult();
    advice.hidden = true;
    error.textContent = message;
    error.hidden = false;
    document.body.dataset.state = "error";
  }

  function showPrediction(answer) {
    error.hidden = true;
    topDigit.textContent = answer.label;
    topProbability.textContent = percent(answer.probability);
    bars.replaceChildren(...answer.probabilities.map((p, digit) => {
      const item = document.createElement("li");
      const label = classes[digit] ?? String(digit);
      item.className = digit === answer.class ? "best" : "";
      item.setAttribute("aria-label", `${label}: ${percent(p)}`);
      const name = document.createElement("span");
      name.textContent = label;              // class names come from a checkpoint: text, never markup
      item.append(name);
      // Through the DOM, not markup: the Content-Security-Policy allows no inline style attributes.
      const bar = document.createElement("span");
      bar.className = "bar";
      bar.style.width = `${(100 * p).toFixed(1)}%`;
      const value = document.createElement("span");
      value.className = "value";
      value.textContent = percent(p);
      item.append(bar, value);
      return item;
    }));
    seenCanvas.width = answer.width;
    seenCanvas.height = answer.height;
    const image = seen.createImageData(answer.width, answer.height);
    answer.field.forEach((v, i) => image.data.set([v, v, v, 255], 4 * i));
    seen.putImageData(image, 0, 0);
    timing.textContent = `answered in ${answer.milliseconds} ms on the server`;
    // Live answers during a stroke show, but the drawing is not finished: "predicted" only once the pen is up.
    document.body.dataset.state = drawing ? "drawing" : "predicted";
  }

  const percent = p => `${(100 * p).toFixed(1)} %`;

  async function openFile(file) {
    if (!file) return;
    remember();
    advice.hidden = true;
    try {
      const bitmap = await createImageBitmap(file);
      clearPad();
      const scale = Math.min(pad.width / bitmap.width, pad.height / bitmap.height);
      const w = bitmap.width * scale, h = bitmap.height * scale;
      context.drawImage(bitmap, (pad.width - w) / 2, (pad.height - h) / 2, w, h);
    } catch {
      clearPad();                          // the browser cannot show it; the server may still read it, or say why not
    }
    invert = "auto";
    send(file, file.type, "auto");
  }

  document.getElementById("clear").addEventListener("click", () => {
    remember();
    clearPad();
    sequence++;
    clearResult();
    advice.hidden = true;
    document.body.dataset.state = "clear";
  });
  undoButton.addEventListener("click", undo);
  document.addEventListener("keydown", event => {
    if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === "z") {
      event.preventDefault();
      undo();
    }
  });
  document.getElementById("predict").addEventListener("click", predictPad);
  document.getElementById("file").addEventListener("change", event => openFile(event.target.files[0]));
  const drop = document.getElementById("drop");
  drop.addEventListener("dragover", event => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", event => {
    event.preventDefault();
    drop.classList.remove("over");
    openFile(event.dataTransfer.files[0]);
  });

  fetch("/api/model").then(r => r.json()).then(model => {
    classes = model.classes;
    // Every row's label column as wide as the longest class name, so that the bars line up.
    bars.style.setProperty("--label-width", `${Math.max(1, ...classes.map(c => c.length)) + 1}ch`);
    // Digits, or whatever the model was trained on (shapes, letters…): say what to draw.
    const digits = classes.length === 10 && classes.every((c, i) => c === String(i));
    const what = digits ? "a digit" : `one of: ${classes.join(", ")}`;
    document.getElementById("title").textContent = `Draw ${what}`;
    document.title = `GpuConvNet — draw ${digits ? "a digit" : "a " + model.name + " class"}`;
    document.getElementById("pad").setAttribute("aria-label", `Drawing pad: draw ${what} with the mouse, a pen or a finger, or drop an image here`);
    const accuracy = model.validationAccuracy == null ? "" : ` · validation accuracy ${percent(model.validationAccuracy)}`;
    const epoch = model.epoch == null ? "" : ` after ${model.epoch} epoch${model.epoch === 1 ? "" : "s"}`;
    document.getElementById("model").textContent = `${model.name}${accuracy}${epoch} · on ${model.device} (${model.deviceName})`;
  }).catch(() => { document.getElementById("model").textContent = "The model's details are unavailable."; });

  clearPad();
  document.body.dataset.state = "ready";
})();
