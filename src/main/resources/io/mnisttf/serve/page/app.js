// The drawing page of `mnist-tf-java serve`. It uses only TensorFlow Serving's REST API (metadata, predict),
// plus config.json, which names the model: the same page works against a TensorFlow Serving server behind the
// same origin. The drawing is turned into a 28x28 image as MNIST's digits were made (bounding box scaled into
// 20x20 by area averaging, centre of mass placed on pixel (14,14)), shown beside the pad, and sent as one instance.
'use strict';

const pad = document.getElementById('pad');
const view = document.getElementById('view28');
const topOut = document.getElementById('top');
const list = document.getElementById('classes');
const statusLine = document.getElementById('status');
const modelLine = document.getElementById('model');
const padContext = pad.getContext('2d', { willReadFrequently: true });

let api = null;        // { url, inputKey, layout, integer, outputKey }
let drawing = false;
let busy = false;      // a predict request is in flight
let pending = false;   // the drawing changed while it was
let drawn = 0;         // changes to the drawing so far: body[data-drawn]

/** The drawing changed: a prediction of it is due (body[data-predicted] catches up with body[data-drawn]). */
function changed() {
  drawn++;
  document.body.dataset.drawn = String(drawn);
}

function clearPad() {
  changed();
  document.body.dataset.predicted = String(drawn);
  padContext.fillStyle = '#000';
  padContext.fillRect(0, 0, pad.width, pad.height);
  view.getContext('2d').clearRect(0, 0, 28, 28);
  topOut.textContent = '-';
  list.textContent = '';
  statusLine.textContent = '';
}

function point(event) {
  const r = pad.getBoundingClientRect();
  return [(event.clientX - r.left) * pad.width / r.width, (event.clientY - r.top) * pad.height / r.height];
}

pad.addEventListener('pointerdown', event => {
  drawing = true;
  pad.setPointerCapture(event.pointerId);
  const [x, y] = point(event);
  padContext.strokeStyle = '#fff';
  padContext.fillStyle = '#fff';
  padContext.lineWidth = 22;
  padContext.lineCap = 'round';
  padContext.lineJoin = 'round';
  padContext.beginPath();
  padContext.arc(x, y, 11, 0, 2 * Math.PI);
  padContext.fill();
  padContext.beginPath();
  padContext.moveTo(x, y);
  changed();
  schedule();
});

pad.addEventListener('pointermove', event => {
  if (!drawing) {
    return;
  }
  const [x, y] = point(event);
  padContext.lineTo(x, y);
  padContext.stroke();
  changed();
  schedule();
});

for (const type of ['pointerup', 'pointercancel']) {
  pad.addEventListener(type, () => {
    drawing = false;
    schedule();
  });
}

document.getElementById('clear').addEventListener('click', clearPad);

/** The drawing as 784 values in [0,1] (row-major 28x28, light digit on black), or null when it is blank. */
function toMnist() {
  const w = pad.width;
  const h = pad.height;
  const rgba = padContext.getImageData(0, 0, w, h).data;
  const ink = new Float32Array(w * h);
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let i = 0; i < w * h; i++) {
    ink[i] = rgba[4 * i] / 255;
    if (ink[i] > 0.3) {
      const x = i % w;
      const y = (i - x) / w;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x);
      y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  if (x1 < 0) {
    return null;
  }
  const bw = x1 - x0 + 1;
  const bh = y1 - y0 + 1;
  const scale = 20 / Math.max(bw, bh);
  const nw = Math.max(1, Math.min(20, Math.round(bw * scale)));
  const nh = Math.max(1, Math.min(20, Math.round(bh * scale)));
  // area averaging: each small pixel is the mean of the pad pixels it covers
  const small = new Float32Array(nw * nh);
  const sx = bw / nw;
  const sy = bh / nh;
  for (let ty = 0; ty < nh; ty++) {
    for (let tx = 0; tx < nw; tx++) {
      const xa = x0 + tx * sx, xb = xa + sx, ya = y0 + ty * sy, yb = ya + sy;
      let sum = 0, area = 0;
      for (let y = Math.floor(ya); y < Math.ceil(yb); y++) {
        const hy = Math.min(yb, y + 1) - Math.max(ya, y);
        for (let x = Math.floor(xa); x < Math.ceil(xb); x++) {
          const wx = Math.min(xb, x + 1) - Math.max(xa, x);
          sum += ink[y * w + x] * wx * hy;
          area += wx * hy;
        }
      }
      small[ty * nw + tx] = sum / area;
    }
  }
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++) {
      const v = small[y * nw + x];
      mass += v; cx += x * v; cy += y * v;
    }
  }
  const ox = Math.max(0, Math.min(28 - nw, Math.round(14 - cx / mass)));
  const oy = Math.max(0, Math.min(28 - nh, Math.round(14 - cy / mass)));
  const pixels = new Float32Array(784);
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++) {
      pixels[(oy + y) * 28 + ox + x] = Math.min(1, small[y * nw + x]);
    }
  }
  return pixels;
}

function show28(pixels) {
  const context = view.getContext('2d');
  const image = context.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const g = Math.round(pixels[i] * 255);
    image.data.set([g, g, g, 255], 4 * i);
  }
  context.putImageData(image, 0, 0);
}

/** One instance shaped as the model's input: [28][28], [784], [28][28][1] or [1][28][28]. */
function instance(pixels) {
  const value = v => (api.integer ? Math.round(v * 255) : v);
  const rows = [];
  for (let r = 0; r < 28; r++) {
    rows.push(Array.from(pixels.slice(28 * r, 28 * r + 28), value));
  }
  switch (api.layout) {
    case '784': return Array.from(pixels, value);
    case '28,28,1': return rows.map(row => row.map(v => [v]));
    case '1,28,28': return [rows];
    default: return rows;
  }
}

function schedule() {
  if (busy) {
    pending = true;
    return;
  }
  window.requestAnimationFrame(predict);
  busy = true;
}

async function predict() {
  pending = false;
  const snapshot = drawn;
  const pixels = api ? toMnist() : null;
  if (pixels) {
    show28(pixels);
    try {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ instances: [instance(pixels)] }),
      });
      const answer = await response.json();
      if (!response.ok) {
        statusLine.textContent = 'Error ' + response.status + ': ' + answer.error;
      } else {
        const first = answer.predictions[0];
        showScores(Array.isArray(first) ? first : first[api.outputKey]);
        statusLine.textContent = '';
      }
    } catch (e) {
      statusLine.textContent = 'Request failed: ' + e;
    }
  }
  document.body.dataset.predicted = String(snapshot);
  busy = false;
  if (pending) {
    schedule();
  }
}

/** Shows the top classes; logits (not probabilities) go through a softmax first. */
function showScores(scores) {
  let p = scores.map(Number);
  const sum = p.reduce((a, b) => a + b, 0);
  if (p.some(v => v < 0 || v > 1) || Math.abs(sum - 1) > 1e-3) {
    const max = Math.max(...p);
    const e = p.map(v => Math.exp(v - max));
    const total = e.reduce((a, b) => a + b, 0);
    p = e.map(v => v / total);
  }
  const order = p.map((v, digit) => [digit, v]).sort((a, b) => b[1] - a[1]);
  topOut.textContent = String(order[0][0]);
  list.textContent = '';
  for (const [digit, v] of order.slice(0, 3)) {
    const item = document.createElement('li');
    item.dataset.digit = String(digit);
    item.textContent = digit + ': ' + v.toFixed(3);
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.style.width = Math.round(v * 150) + 'px';
    item.appendChild(bar);
    list.appendChild(item);
  }
}

async function init() {
  try {
    const config = await (await fetch('config.json')).json();
    const base = 'v1/models/' + encodeURIComponent(config.model);
    const answer = await fetch(base + '/metadata');
    const meta = await answer.json();
    if (answer.status === 404) {
      modelLine.textContent = 'Waiting for the model to be loaded (' + meta.error + ')...';
      window.setTimeout(init, 1000);
      return;
    }
    if (!answer.ok) {
      throw new Error(meta.error);
    }
    const signature = meta.metadata.signature_def.signature_def.serving_default;
    if (!signature) {
      throw new Error('the model has no serving_default signature');
    }
    const inputs = Object.entries(signature.inputs);
    if (inputs.length !== 1) {
      throw new Error('the model takes ' + inputs.length + ' inputs; this page feeds one image');
    }
    const [inputKey, input] = inputs[0];
    const dims = input.tensor_shape.dim.slice(1).map(d => Number(d.size)).join(',');
    if (!['28,28', '784', '28,28,1', '1,28,28'].includes(dims)) {
      throw new Error('input ' + inputKey + ' has shape [' + input.tensor_shape.dim.map(d => d.size).join(',')
          + ']; this page draws 28x28 images');
    }
    const outputs = Object.entries(signature.outputs).filter(([, o]) => {
      const d = o.tensor_shape.dim;
      return ['DT_FLOAT', 'DT_DOUBLE'].includes(o.dtype) && d.length === 2 && Number(d[1].size) === 10;
    });
    if (outputs.length === 0) {
      throw new Error('no output of 10 class scores per image');
    }
    const chosen = outputs.find(([key]) => key === 'probabilities') || outputs[0];
    api = {
      url: base + ':predict',
      inputKey,
      layout: dims,
      integer: ['DT_UINT8', 'DT_INT32', 'DT_INT64'].includes(input.dtype),
      outputKey: chosen[0],
    };
    modelLine.textContent = 'Model ' + config.model + ', version ' + meta.model_spec.version + ': input '
        + inputKey + ' ' + input.dtype + ' [-1,' + dims + '] -> output ' + api.outputKey
        + (api.integer ? ' (pixels sent as 0..255)' : ' (pixels sent in [0,1])');
    document.body.dataset.ready = 'true';
  } catch (e) {
    modelLine.textContent = 'This page cannot use the model: ' + e.message;
    document.body.dataset.ready = 'error';
  }
}

clearPad();
init();
