"""The numpy side of lora-merge.bench.ts: merge a LoRA adapter into a safetensors file the
way a careful numpy script would, streaming tensor by tensor from a memory map.

    python3 lora-merge.py BASE.safetensors ADAPTER_DIR OUT.safetensors

Every adapted weight W (key "<module>.weight") becomes W + s·(B @ A) in float32 with
s = lora_alpha / r (numpy's matmul runs on OpenBLAS); every other tensor is copied as it
is. The output keeps the base's header, so tensor offsets are unchanged. Prints one JSON
line: seconds and peak RSS (KiB, from getrusage).
"""

import json
import os
import resource
import struct
import sys
import time

import numpy as np

DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64}


def header_of(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    return n, header


def main():
    base_path, adapter_dir, out_path = sys.argv[1:4]
    start = time.perf_counter()
    with open(os.path.join(adapter_dir, "adapter_config.json")) as f:
        config = json.load(f)
    scaling = config["lora_alpha"] / config["r"]
    a_len, a_header = header_of(os.path.join(adapter_dir, "adapter_model.safetensors"))
    adapter = np.memmap(os.path.join(adapter_dir, "adapter_model.safetensors"), mode="r", dtype=np.uint8)
    pairs = {}
    for key, info in a_header.items():
        if key == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        values = adapter[8 + a_len + begin : 8 + a_len + end].view(DTYPES[info["dtype"]]).reshape(info["shape"])
        module = key.removeprefix("base_model.model.").rsplit(".lora_", 1)[0]
        pairs.setdefault(module, {})["A" if ".lora_A." in key else "B"] = np.array(values, dtype=np.float32)

    n, header = header_of(base_path)
    base = np.memmap(base_path, mode="r", dtype=np.uint8)
    temporary = out_path + ".tmp"
    with open(temporary, "wb") as out:
        out.write(base[: 8 + n].tobytes())
        tensors = sorted(
            ((k, v) for k, v in header.items() if k != "__metadata__"), key=lambda kv: kv[1]["data_offsets"][0]
        )
        for key, info in tensors:
            begin, end = info["data_offsets"]
            raw = base[8 + n + begin : 8 + n + end]
            module = key.removesuffix(".weight")
            if key.endswith(".weight") and module in pairs:
                w = np.array(raw.view(DTYPES[info["dtype"]]).reshape(info["shape"]), dtype=np.float32)
                w += np.float32(scaling) * (pairs[module]["B"] @ pairs[module]["A"])
                out.write(w.astype(DTYPES[info["dtype"]]).tobytes())
            else:
                out.write(raw.tobytes())
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, out_path)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "maxRssKiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))


if __name__ == "__main__":
    main()
