/**
 * The slice of the ONNX protobuf format (onnx/onnx.proto, IR version 8) that Verity writes and reads:
 * enough to write a small graph (build-embedding-model.ts) and to read a model's metadata and
 * input/output signature before handing it to the runtime (the native runtime exits the process on
 * a model without the metadata it expects, so the loader checks first). A hand-written codec of the
 * protobuf wire format keeps it free of a runtime dependency; field numbers are ONNX's.
 */

// ---------------------------------------------------------------- writing

/** A protobuf message under construction: fields are appended in the order written. */
class MessageWriter {
  private readonly chunks: Uint8Array[] = [];

  varintField(field: number, value: number | bigint): this {
    this.tag(field, 0);
    this.varint(BigInt(value));
    return this;
  }

  float32Field(field: number, value: number): this {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.chunks.push(bytes);
    return this;
  }

  bytesField(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(BigInt(value.length));
    this.chunks.push(value);
    return this;
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  messageField(field: number, message: MessageWriter): this {
    return this.bytesField(field, message.finish());
  }

  finish(): Uint8Array {
    const length = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const out = new Uint8Array(length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  private varint(value: bigint): void {
    let v = BigInt.asUintN(64, value); // negative int64 → two's complement, as protobuf does
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.chunks.push(Uint8Array.from(bytes));
  }
}

type OnnxAttribute =
  | { name: string; int: number }
  | { name: string; ints: readonly number[] }
  | { name: string; float: number };

export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  /** FLOAT (1) or INT64 (7). */
  type: 'float' | 'int64';
  values: readonly number[] | Float32Array;
}

interface OnnxValueInfo {
  name: string;
  /** A number is a fixed size, a string a named (symbolic) dimension. */
  shape: ReadonlyArray<number | string>;
}

export interface OnnxModelSpec {
  producer: string;
  graphName: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  metadata: Readonly<Record<string, string>>;
  /** Default-domain opset (13: ReduceMean takes `axes` as an attribute, ReduceSum as an input). */
  opset: number;
  docString?: string;
}

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_FLOAT = 1;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_INTS = 7;

/** Serialises a model (ModelProto) to the bytes of an `.onnx` file. */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const graph = new MessageWriter();
  for (const node of spec.nodes) graph.messageField(1, nodeMessage(node));
  graph.stringField(2, spec.graphName);
  for (const tensor of spec.initializers) graph.messageField(5, tensorMessage(tensor));
  for (const input of spec.inputs) graph.messageField(11, valueInfoMessage(input));
  for (const output of spec.outputs) graph.messageField(12, valueInfoMessage(output));

  const model = new MessageWriter().varintField(1, 8).stringField(2, spec.producer);
  if (spec.docString) model.stringField(6, spec.docString);
  model.messageField(7, graph);
  model.messageField(8, new MessageWriter().stringField(1, '').varintField(2, spec.opset));
  for (const [key, value] of Object.entries(spec.metadata)) {
    model.messageField(14, new MessageWriter().stringField(1, key).stringField(2, value));
  }
  return model.finish();
}

function nodeMessage(node: OnnxNode): MessageWriter {
  const message = new MessageWriter();
  for (const input of node.inputs) message.stringField(1, input);
  for (const output of node.outputs) message.stringField(2, output);
  message.stringField(3, node.outputs[0]!).stringField(4, node.op);
  for (const attribute of node.attributes ?? []) {
    const a = new MessageWriter().stringField(1, attribute.name);
    if ('int' in attribute) a.varintField(3, attribute.int).varintField(20, ATTRIBUTE_INT);
    else if ('ints' in attribute) {
      for (const v of attribute.ints) a.varintField(8, v);
      a.varintField(20, ATTRIBUTE_INTS);
    } else a.float32Field(2, attribute.float).varintField(20, ATTRIBUTE_FLOAT);
    message.messageField(5, a);
  }
  return message;
}

function tensorMessage(tensor: OnnxTensor): MessageWriter {
  const message = new MessageWriter();
  for (const d of tensor.dims) message.varintField(1, d);
  message.varintField(2, tensor.type === 'float' ? FLOAT : INT64).stringField(8, tensor.name);
  // raw_data: little-endian values, what every runtime reads fastest.
  const raw = new Uint8Array(tensor.values.length * (tensor.type === 'float' ? 4 : 8));
  const view = new DataView(raw.buffer);
  tensor.values.forEach((v, i) => {
    if (tensor.type === 'float') view.setFloat32(i * 4, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  });
  return message.bytesField(9, raw);
}

function valueInfoMessage(info: OnnxValueInfo): MessageWriter {
  const shape = new MessageWriter();
  for (const d of info.shape) {
    shape.messageField(1, typeof d === 'number' ? new MessageWriter().varintField(1, d) : new MessageWriter().stringField(2, d));
  }
  const tensorType = new MessageWriter().varintField(1, FLOAT).messageField(2, shape);
  return new MessageWriter().stringField(1, info.name).messageField(2, new MessageWriter().messageField(1, tensorType));
}

// ---------------------------------------------------------------- reading

/** What the loader needs to know about a model file before the runtime sees it. */
export interface OnnxModelInfo {
  irVersion: number;
  metadata: Record<string, string>;
  /** Graph inputs that are not initializers (real inputs), with their shapes (-1/name: dynamic). */
  inputs: OnnxValueInfoRead[];
  outputs: OnnxValueInfoRead[];
}

interface OnnxValueInfoRead {
  name: string;
  elemType: number;
  shape: Array<number | string>;
}

/** Thrown for bytes that are not a well-formed ONNX model. */
export class OnnxFormatError extends Error {}

interface Field {
  field: number;
  wireType: number;
  /** Varint value (wire type 0). */
  value?: bigint;
  /** Payload (wire type 2). */
  bytes?: Uint8Array;
}

/** Splits one message into its fields; throws OnnxFormatError on malformed wire data. */
function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (at >= bytes.length) throw new OnnxFormatError('truncated varint');
      const byte = bytes[at++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new OnnxFormatError('varint too long');
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wireType = key & 7;
    if (field === 0) throw new OnnxFormatError('field number 0');
    if (wireType === 0) fields.push({ field, wireType, value: varint() });
    else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else if (wireType === 2) {
      const length = Number(varint());
      if (at + length > bytes.length) throw new OnnxFormatError('field runs past the end');
      fields.push({ field, wireType, bytes: bytes.subarray(at, at + length) });
      at += length;
    } else throw new OnnxFormatError(`unsupported wire type ${wireType}`);
    if (at > bytes.length) throw new OnnxFormatError('field runs past the end');
  }
  return fields;
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());

function readValueInfo(bytes: Uint8Array): OnnxValueInfoRead {
  const fields = readFields(bytes);
  const info: OnnxValueInfoRead = { name: text(fields.find((f) => f.field === 1)?.bytes), elemType: 0, shape: [] };
  const type = fields.find((f) => f.field === 2)?.bytes;
  const tensorType = type && readFields(type).find((f) => f.field === 1)?.bytes;
  if (!tensorType) return info;
  for (const f of readFields(tensorType)) {
    if (f.field === 1 && f.value !== undefined) info.elemType = Number(f.value);
    if (f.field === 2 && f.bytes) {
      for (const dim of readFields(f.bytes).filter((d) => d.field === 1 && d.bytes)) {
        const parts = readFields(dim.bytes!);
        const value = parts.find((p) => p.field === 1)?.value;
        info.shape.push(value !== undefined ? Number(value) : text(parts.find((p) => p.field === 2)?.bytes) || -1);
      }
    }
  }
  return info;
}

/** Reads a model's IR version, metadata and graph signature (initializer payloads are skipped, not copied). */
export function readOnnxModelInfo(bytes: Uint8Array): OnnxModelInfo {
  const fields = readFields(bytes);
  const irVersion = fields.find((f) => f.field === 1)?.value;
  const graph = fields.find((f) => f.field === 7 && f.bytes)?.bytes;
  if (irVersion === undefined || !graph) throw new OnnxFormatError('not an ONNX model (no IR version or no graph)');
  const metadata: Record<string, string> = {};
  for (const entry of fields.filter((f) => f.field === 14 && f.bytes)) {
    const parts = readFields(entry.bytes!);
    metadata[text(parts.find((p) => p.field === 1)?.bytes)] = text(parts.find((p) => p.field === 2)?.bytes);
  }
  const graphFields = readFields(graph);
  const initializerNames = new Set(
    graphFields.filter((f) => f.field === 5 && f.bytes).map((f) => text(readFields(f.bytes!).find((p) => p.field === 8)?.bytes)),
  );
  const inputs = graphFields.filter((f) => f.field === 11 && f.bytes).map((f) => readValueInfo(f.bytes!)).filter((i) => !initializerNames.has(i.name));
  const outputs = graphFields.filter((f) => f.field === 12 && f.bytes).map((f) => readValueInfo(f.bytes!));
  return { irVersion: Number(irVersion), metadata, inputs, outputs };
}
