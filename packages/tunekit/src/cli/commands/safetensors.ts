import { type DType, dtypeByteSize } from "@tunekit/tensor";
import { openSafetensorsFile } from "@tunekit/tensor/node";
import type { CommandSpec } from "../command";
import { renderTable } from "../output";

interface TensorSummary {
  name: string;
  dtype: DType;
  shape: number[];
  parameters: number;
  bytes: number;
  /** Byte range in the data section. */
  dataOffsets: [number, number];
}

interface DtypeSummary {
  tensors: number;
  parameters: number;
  bytes: number;
}

/** What `safetensors inspect` reports. */
export interface SafetensorsInspection {
  file: string;
  fileBytes: number;
  headerBytes: number;
  dataBytes: number;
  metadata: Record<string, string>;
  tensorCount: number;
  parameters: number;
  byDtype: Record<string, DtypeSummary>;
  tensors: TensorSummary[];
}

/** Inspects a file from its header alone, so it is instant on multi-gigabyte files. */
export async function inspectSafetensors(path: string): Promise<SafetensorsInspection> {
  const file = await openSafetensorsFile(path);
  try {
    const { header } = file;
    const tensors = header.tensors.map((t): TensorSummary => {
      const parameters = t.shape.reduce((p, d) => p * d, 1);
      return {
        name: t.name,
        dtype: t.dtype,
        shape: t.shape,
        parameters,
        bytes: parameters * dtypeByteSize(t.dtype),
        dataOffsets: t.dataOffsets,
      };
    });
    const byDtype: Record<string, DtypeSummary> = {};
    for (const t of tensors) {
      byDtype[t.dtype] ??= { tensors: 0, parameters: 0, bytes: 0 };
      byDtype[t.dtype].tensors++;
      byDtype[t.dtype].parameters += t.parameters;
      byDtype[t.dtype].bytes += t.bytes;
    }
    const dataBytes = tensors.reduce((sum, t) => sum + t.bytes, 0);
    return {
      file: path,
      fileBytes: header.dataStart + dataBytes,
      headerBytes: header.headerSize,
      dataBytes,
      metadata: header.metadata,
      tensorCount: tensors.length,
      parameters: tensors.reduce((sum, t) => sum + t.parameters, 0),
      byDtype,
      tensors,
    };
  } finally {
    await file.close();
  }
}

/** 1234567 → "1,234,567". */
function grouped(n: number): string {
  return n.toLocaleString("en-US");
}

/** Bytes in binary units: "512 B", "32.0 KiB", "1.50 GiB". */
export function humanBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** Parameters of a million or more in short form: "6.74 M", "7.24 B". */
function humanCount(n: number): string {
  if (n < 1e9) return `${(n / 1e6).toFixed(2)} M`;
  return `${(n / 1e9).toFixed(2)} B`;
}

function inspectionTable(result: SafetensorsInspection): string {
  const summary = [
    `file        ${result.file}`,
    `size        ${humanBytes(result.fileBytes)} (${grouped(result.fileBytes)} bytes: header ${grouped(result.headerBytes)}, data ${grouped(result.dataBytes)})`,
    `tensors     ${grouped(result.tensorCount)}`,
    `parameters  ${result.parameters < 1e6 ? grouped(result.parameters) : `${humanCount(result.parameters)} (${grouped(result.parameters)})`}`,
  ];
  const metadata = Object.entries(result.metadata);
  summary.push(
    metadata.length === 0
      ? "metadata    (none)"
      : `metadata    ${metadata.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}`,
  );
  const dtypes = renderTable(
    Object.entries(result.byDtype).map(([dtype, s]) => ({
      dtype,
      tensors: grouped(s.tensors),
      parameters: grouped(s.parameters),
      bytes: humanBytes(s.bytes),
    })),
    ["dtype", "tensors", "parameters", "bytes"],
  );
  const tensors = renderTable(
    result.tensors.map((t) => ({
      name: t.name,
      dtype: t.dtype,
      shape: t.shape.length === 0 ? "scalar" : t.shape.join("×"),
      parameters: grouped(t.parameters),
      bytes: humanBytes(t.bytes),
    })),
    ["name", "dtype", "shape", "parameters", "bytes"],
  );
  return [summary.join("\n"), dtypes, tensors].join("\n\n");
}

const inspectCommand: CommandSpec = {
  path: ["safetensors", "inspect"],
  summary: "list a safetensors file's tensors, dtypes, shapes, parameter counts and metadata",
  usage: "safetensors inspect FILE",
  details: [
    "Reads and validates only the header, so it is instant on multi-gigabyte files. Reports",
    "every tensor (in file order) with its dtype, shape, parameter count, byte size and data",
    "offsets; totals per dtype; and the __metadata__ map. A file that breaks the format (bad",
    "header length, JSON, dtype, offsets, trailing bytes, …) is an error naming the file.",
  ].join("\n"),
  options: {},
  positionals: { min: 1, max: 1 },
  run: ({ positionals }) => inspectSafetensors(positionals[0]),
  table: (result) => inspectionTable(result as SafetensorsInspection),
};

export const safetensorsCommands: CommandSpec[] = [inspectCommand];
