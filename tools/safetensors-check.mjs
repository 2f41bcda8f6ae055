// A second reader of AeGen's checkpoints, written from the safetensors specification and docs/training.md alone, in
// another language and with nothing but Node.js: it loads the checkpoint, scales the rows with the scaler in its
// metadata, runs the network in double precision and checks that every row's score (the mean squared reconstruction
// error per value, in the scaled space) agrees with the scores AeGen wrote.
//
// usage: node tools/safetensors-check.mjs <model.safetensors> <rows.csv> <scores.csv>
// (rows.csv without a header; the first n columns are the model's inputs, as `--columns 0-<n-1>` chose them)
import { readFileSync } from 'node:fs';

const [modelPath, rowsPath, scoresPath] = process.argv.slice(2);
if (!scoresPath) {
  console.error('usage: node tools/safetensors-check.mjs <model.safetensors> <rows.csv> <scores.csv>');
  process.exit(2);
}

// The file: an 8-byte little-endian header length, the JSON header, then the tensors' bytes.
const file = readFileSync(modelPath);
const headerLength = Number(file.readBigUInt64LE(0));
const header = JSON.parse(file.subarray(8, 8 + headerLength).toString('utf8'));
const dataStart = 8 + headerLength;
const metadata = header.__metadata__ ?? {};

function tensor(name) {
  const entry = header[name];
  if (!entry) throw new Error(`${modelPath} has no tensor '${name}'`);
  const [begin, end] = entry.data_offsets;
  const size = entry.dtype === 'F32' ? 4 : entry.dtype === 'F64' ? 8 : 0;
  if (size === 0) throw new Error(`tensor '${name}' has dtype ${entry.dtype}, expected F32 or F64`);
  const view = new DataView(file.buffer, file.byteOffset + dataStart + begin, end - begin);
  const values = new Float64Array((end - begin) / size);
  for (let i = 0; i < values.length; i++) {
    values[i] = size === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  }
  return { shape: entry.shape, values };
}

const [w1, b1, w2, b2, w3, b3] = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'].map(tensor);
const [n, k] = w1.shape;
if (metadata.n !== undefined && (Number(metadata.n) !== n || Number(metadata.k) !== k)) {
  throw new Error(`metadata says ${metadata.n}x${metadata.k}, tensors say ${n}x${k}`);
}
const scaled = (metadata.scaler ?? 'none') !== 'none';
const shift = scaled ? metadata.scaler_shift.split(' ').map(Number) : new Array(n).fill(0);
const divisor = scaled ? metadata.scaler_divisor.split(' ').map(Number) : new Array(n).fill(1);

const sigmoid = z => 1 / (1 + Math.exp(-z));
// y = act(x·W + b) for a row x, W row-major [in, out].
function layer(x, w, b, outputs, act) {
  const y = new Float64Array(outputs);
  for (let j = 0; j < outputs; j++) {
    let sum = b.values[j];
    for (let i = 0; i < x.length; i++) sum += x[i] * w.values[i * outputs + j];
    y[j] = act(sum);
  }
  return y;
}

const rows = readFileSync(rowsPath, 'utf8').trim().split('\n').map(line => line.split(',').slice(0, n).map(Number));
const scores = readFileSync(scoresPath, 'utf8').trim().split('\n').slice(1).map(line => Number(line.split(',')[1]));
if (rows.length !== scores.length) throw new Error(`${rows.length} rows but ${scores.length} scores`);

let worst = 0, worstRow = -1;
for (let r = 0; r < rows.length; r++) {
  const x = Float64Array.from(rows[r], (v, j) => (v - shift[j]) / divisor[j]);
  const h1 = layer(x, w1, b1, k, sigmoid);
  const h2 = layer(h1, w2, b2, n, sigmoid);
  const xhat = layer(h2, w3, b3, n, z => z);
  let sum = 0;
  for (let j = 0; j < n; j++) sum += (x[j] - xhat[j]) ** 2;
  const score = sum / n;
  const difference = Math.abs(score - scores[r]) / Math.max(Math.abs(score), 1e-12);
  if (difference > worst) [worst, worstRow] = [difference, r];
}

// A score is a small difference of larger numbers, so it magnifies the float32 model's rounding: reconstructions that
// agree within about 1e-7 give scores that agree within about 1e-6.
const tolerance = metadata.precision === 'float64' ? 1e-12 : 1e-5;
console.log(`safetensors-check: ${modelPath}, ${n}x${k} ${metadata.precision ?? ''}, scaler ${metadata.scaler ?? 'none'}: ` +
  `${rows.length} scores agree with AeGen's within ${worst.toExponential(1)} relative (worst row ${worstRow}; tolerance ${tolerance})`);
process.exit(worst <= tolerance ? 0 : 1);
