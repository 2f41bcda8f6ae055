// Scores the rows of a CSV with a model AeGen exported to ONNX, in ONNX Runtime for Node.js:
//   node docs/examples/score-onnx.mjs <model.onnx> <rows.csv> <n> [scores.csv]
// The first n columns of each row (no header) are the model's inputs, in their own units: the scaler is in the model.
// Given the scores AeGen wrote (the sample's `score` command: row,score,anomalous), it checks that they agree.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';

const [modelPath, rowsPath, width, scoresPath] = process.argv.slice(2);
if (!width) {
  console.error('usage: node docs/examples/score-onnx.mjs <model.onnx> <rows.csv> <n> [scores.csv]');
  process.exit(2);
}

const n = Number(width);
const rows = readFileSync(rowsPath, 'utf8').trim().split('\n').map(line => line.split(',').slice(0, n).map(Number));
const x = new Float32Array(rows.flat());
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1 });
const { score } = await session.run({ x: new ort.Tensor('float32', x, [rows.length, n]) });
console.log(`ONNX Runtime ${ort.env.versions.common}: ${rows.length} rows scored; the first three: ` +
  Array.from(score.data.slice(0, 3), s => s.toPrecision(6)).join(', '));

if (scoresPath) {
  const expected = readFileSync(scoresPath, 'utf8').trim().split('\n').slice(1).map(line => Number(line.split(',')[1]));
  let worst = 0;
  expected.forEach((e, r) => { worst = Math.max(worst, Math.abs(score.data[r] - e) / Math.max(Math.abs(e), 1e-12)); });
  console.log(`agreement with ${scoresPath}: within ${worst.toExponential(1)} relative`);
  process.exit(expected.length === rows.length && worst <= 1e-5 ? 0 : 1);
}
