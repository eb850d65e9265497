// Worker-thread entry of formatJsonlFile (built to dist/format-worker.js and .cjs): formats
// the batches the main thread sends and transfers the output bytes back.
import { parentPort, workerData } from "node:worker_threads";
import { type BatchSettings, formatBatch } from "./format-batch";

const settings = workerData as BatchSettings;
// Output buffers the main thread has written and handed back, for the next batches.
const spares: ArrayBuffer[] = [];

type Message = { id: number; bytes: Uint8Array; first: boolean } | { spare: ArrayBuffer };

parentPort?.on("message", (message: Message) => {
  if ("spare" in message) {
    if (spares.length < 2) spares.push(message.spare);
    return;
  }
  const { id, bytes, first } = message;
  const input = bytes.buffer as ArrayBuffer;
  try {
    const view = Buffer.from(input, bytes.byteOffset, bytes.byteLength);
    const result = formatBatch(view, settings, first, spares.pop());
    // The input buffer goes back too, for the main thread to read into again.
    parentPort?.postMessage({ id, result, input }, [result.bytes.buffer as ArrayBuffer, input]);
  } catch (error) {
    parentPort?.postMessage({ id, error });
  }
});
