"""The Python peer of instruct-format.bench.ts: the same streaming job with the standard
library's json and str.format, written the way a data-prep script would.

    python3 instruct-format.py IN.jsonl OUT.jsonl

Reads JSONL records with a "dialogue" and a "summary", renders the DialogSum prompt with
str.format, writes {"prompt", "completion"} lines with json.dumps' defaults (its fastest
form: with ensure_ascii=False or custom separators it is slower) to a temporary file,
fsyncs and renames it into place. Prints {"seconds", "cpuSeconds", "records", "peakRssBytes"} as JSON.
"""

import json
import os
import resource
import sys
import time

PROMPT = "Summarize the following conversation.\n\n{dialogue}\n\nSummary: "
COMPLETION = "{summary}"


def main(source, target):
    started = time.perf_counter()
    cpu_started = time.process_time()
    temporary = f"{target}.{os.getpid()}.tmp"
    records = 0
    with open(source, encoding="utf-8") as lines, open(temporary, "w", encoding="utf-8") as out:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            pair = {
                "prompt": PROMPT.format(**record),
                "completion": COMPLETION.format(**record),
            }
            out.write(json.dumps(pair))
            out.write("\n")
            records += 1
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, target)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    print(
        json.dumps(
            {"seconds": seconds, "cpuSeconds": cpu_seconds, "records": records, "peakRssBytes": peak}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
