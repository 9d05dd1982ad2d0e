import protobuf from 'protobufjs';

/**
 * The few ONNX messages a test model needs (field numbers from onnx.proto, IR 8). Written out here so
 * tests build real ModelProto bytes that onnxruntime parses, with no binary fixture in the repository.
 */
const onnxSubset = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { id: 1, type: 'int64' },
            producerName: { id: 2, type: 'string' },
            graph: { id: 7, type: 'GraphProto' },
            opsetImport: { id: 8, type: 'OperatorSetIdProto', rule: 'repeated' },
          },
        },
        OperatorSetIdProto: {
          fields: { domain: { id: 1, type: 'string' }, version: { id: 2, type: 'int64' } },
        },
        GraphProto: {
          fields: {
            node: { id: 1, type: 'NodeProto', rule: 'repeated' },
            name: { id: 2, type: 'string' },
            initializer: { id: 5, type: 'TensorProto', rule: 'repeated' },
            input: { id: 11, type: 'ValueInfoProto', rule: 'repeated' },
            output: { id: 12, type: 'ValueInfoProto', rule: 'repeated' },
          },
        },
        NodeProto: {
          fields: {
            input: { id: 1, type: 'string', rule: 'repeated' },
            output: { id: 2, type: 'string', rule: 'repeated' },
            name: { id: 3, type: 'string' },
            opType: { id: 4, type: 'string' },
            attribute: { id: 5, type: 'AttributeProto', rule: 'repeated' },
          },
        },
        AttributeProto: {
          fields: {
            name: { id: 1, type: 'string' },
            f: { id: 2, type: 'float' },
            i: { id: 3, type: 'int64' },
            ints: { id: 8, type: 'int64', rule: 'repeated' },
            type: { id: 20, type: 'int32' },
          },
        },
        TensorProto: {
          fields: {
            dims: { id: 1, type: 'int64', rule: 'repeated' },
            dataType: { id: 2, type: 'int32' },
            name: { id: 8, type: 'string' },
            rawData: { id: 9, type: 'bytes' },
          },
        },
        ValueInfoProto: { fields: { name: { id: 1, type: 'string' }, type: { id: 2, type: 'TypeProto' } } },
        TypeProto: { fields: { tensorType: { id: 1, type: 'TypeProtoTensor' } } },
        TypeProtoTensor: {
          fields: { elemType: { id: 1, type: 'int32' }, shape: { id: 2, type: 'TensorShapeProto' } },
        },
        TensorShapeProto: { fields: { dim: { id: 1, type: 'Dimension', rule: 'repeated' } } },
        Dimension: { fields: { dimValue: { id: 1, type: 'int64' }, dimParam: { id: 2, type: 'string' } } },
      },
    },
  },
};

const root = protobuf.Root.fromJSON(onnxSubset);
const ModelProto = root.lookupType('onnx.ModelProto');

const FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

type Dim = number | string;

function valueInfo(name: string, dims: Dim[]) {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function floatTensor(name: string, dims: number[], values: readonly number[]) {
  const data = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => data.writeFloatLE(v, i * 4));
  return { name, dims, dataType: FLOAT, rawData: data };
}

export interface TinyTag {
  name: string;
  /** 9 rating, 0 general, 4 character (the selected_tags.csv codes). */
  category: 0 | 4 | 9;
  /** Weight on the mean of each input channel **as the model sees it** (B, G, R), per 0–1 unit. */
  weights?: [number, number, number];
  /** The logit bias; a constant tag has only this (probability = sigmoid(bias)). */
  bias: number;
}

export interface TinyModelOptions {
  inputName?: string;
  outputName?: string;
  /** A number fixes the batch dimension (like most v2 files); a string names a symbolic one. */
  batch?: Dim;
  size?: number;
  tags?: TinyTag[];
}

export const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Tags whose probability is a designed function of the image's mean colour (after BGR reordering and
 * white padding), so tests can say exactly which tags an image must get.
 */
export const tinyTags: TinyTag[] = [
  { name: 'general', category: 9, bias: logit(0.7) },
  { name: 'sensitive', category: 9, bias: logit(0.2) },
  { name: 'questionable', category: 9, bias: logit(0.05) },
  { name: 'explicit', category: 9, bias: logit(0.01) },
  { name: 'blue_theme', category: 0, weights: [12, -6, -6], bias: -3 },
  { name: 'green_theme', category: 0, weights: [-6, 12, -6], bias: -3 },
  { name: 'red_theme', category: 0, weights: [-6, -6, 12], bias: -3 },
  { name: 'white_background', category: 0, weights: [4, 4, 4], bias: -10 },
  { name: 'dark', category: 0, weights: [-4, -4, -4], bias: 2 },
  { name: '^_^', category: 0, bias: logit(0.6) },
  { name: 'looking_at_viewer', category: 0, bias: logit(0.36) },
  { name: 'solo', category: 0, bias: logit(0.34) },
  { name: 'hatsune_miku', category: 4, bias: logit(0.95) },
  { name: 'kagamine_rin', category: 4, bias: logit(0.5) },
  { name: 'test_character_(test_series)', category: 4, bias: logit(0.9) },
];

/**
 * A WD-shaped ONNX model: input float32 `[N, size, size, 3]` (NHWC, BGR, 0–255) → ReduceMean over H and
 * W → MatMul (weights/255) → Add → Sigmoid → `[N, K]` probabilities, exactly the real models' contract.
 */
export function buildTinyWdModel(options: TinyModelOptions = {}): Buffer {
  const inputName = options.inputName ?? 'input_1:0';
  const outputName = options.outputName ?? 'predictions_sigmoid';
  const batch = options.batch ?? 'batch_size';
  const size = options.size ?? 448;
  const tags = options.tags ?? tinyTags;
  const k = tags.length;
  const w: number[] = [];
  for (let c = 0; c < 3; c++) for (const tag of tags) w.push((tag.weights?.[c] ?? 0) / 255);
  const model = {
    irVersion: 8,
    producerName: 'danlu-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny_wd',
      node: [
        {
          opType: 'ReduceMean',
          input: [inputName],
          output: ['mean'],
          name: 'mean',
          attribute: [
            { name: 'axes', ints: [1, 2], type: ATTR_INTS },
            { name: 'keepdims', i: 0, type: ATTR_INT },
          ],
        },
        { opType: 'MatMul', input: ['mean', 'W'], output: ['mm'], name: 'mm' },
        { opType: 'Add', input: ['mm', 'b'], output: ['logits'], name: 'add' },
        { opType: 'Sigmoid', input: ['logits'], output: [outputName], name: 'sigmoid' },
      ],
      initializer: [
        floatTensor('W', [3, k], w),
        floatTensor(
          'b',
          [k],
          tags.map((t) => t.bias),
        ),
      ],
      input: [valueInfo(inputName, [batch, size, size, 3])],
      output: [valueInfo(outputName, [batch, k])],
    },
  };
  const error = ModelProto.verify(model);
  if (error) throw new Error(`tiny model: ${error}`);
  return Buffer.from(ModelProto.encode(ModelProto.fromObject(model)).finish());
}

/** The matching `selected_tags.csv` (real header and category codes). */
export function tinyTagsCsv(tags: TinyTag[] = tinyTags): string {
  const quote = (name: string) => (/[",]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name);
  return (
    'tag_id,name,category,count\n' +
    tags
      .map((t, i) => `${String(100 + i)},${quote(t.name)},${String(t.category)},${String(1000 - i)}`)
      .join('\n') +
    '\n'
  );
}

export interface BenchModelOptions {
  /** Output width; 10861 like the v3 models. */
  tags?: number;
  /** Channels of the conv stages (each halves the resolution). */
  channels?: number[];
  /** Extra stride-1 3×3 convolutions per stage (compute, to approach a real tagger's cost). */
  depth?: number;
}

/**
 * A heavier WD-shaped model for benchmarks: the same I/O contract, then Transpose to NCHW → a stack of
 * stride-2 3×3 convolutions with ReLU → global average pool → a dense layer to 10861 sigmoid outputs.
 * Far lighter than a real tagger (≈1–2 GFLOP against 60–360 GMAC), but with real-sized I/O.
 */
export function buildBenchWdModel(options: BenchModelOptions = {}): Buffer {
  const tags = options.tags ?? 10861;
  const channels = options.channels ?? [24, 48, 96, 192, 256];
  const inputName = 'input';
  const outputName = 'output';
  let seed = 1;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  const nodes: object[] = [
    {
      opType: 'Transpose',
      input: [inputName],
      output: ['nchw'],
      name: 't',
      attribute: [{ name: 'perm', ints: [0, 3, 1, 2], type: ATTR_INTS }],
    },
  ];
  const initializer: object[] = [];
  let previous = 'nchw';
  let inChannels = 3;
  channels.forEach((out, i) => {
    const fan = inChannels * 9;
    initializer.push(
      floatTensor(
        `w${String(i)}`,
        [out, inChannels, 3, 3],
        Array.from({ length: out * fan }, () => random() / Math.sqrt(fan) / (i === 0 ? 255 : 1)),
      ),
    );
    nodes.push({
      opType: 'Conv',
      input: [previous, `w${String(i)}`],
      output: [`c${String(i)}`],
      name: `conv${String(i)}`,
      attribute: [
        { name: 'kernel_shape', ints: [3, 3], type: ATTR_INTS },
        { name: 'strides', ints: [2, 2], type: ATTR_INTS },
        { name: 'pads', ints: [1, 1, 1, 1], type: ATTR_INTS },
      ],
    });
    nodes.push({
      opType: 'Relu',
      input: [`c${String(i)}`],
      output: [`r${String(i)}`],
      name: `relu${String(i)}`,
    });
    previous = `r${String(i)}`;
    inChannels = out;
    for (let d = 0; d < (options.depth ?? 0); d++) {
      const name = `${String(i)}_${String(d)}`;
      const fanIn = out * 9;
      initializer.push(
        floatTensor(
          `w${name}`,
          [out, out, 3, 3],
          Array.from({ length: out * fanIn }, () => random() / Math.sqrt(fanIn)),
        ),
      );
      nodes.push({
        opType: 'Conv',
        input: [previous, `w${name}`],
        output: [`c${name}`],
        name: `conv${name}`,
        attribute: [
          { name: 'kernel_shape', ints: [3, 3], type: ATTR_INTS },
          { name: 'pads', ints: [1, 1, 1, 1], type: ATTR_INTS },
        ],
      });
      nodes.push({ opType: 'Relu', input: [`c${name}`], output: [`r${name}`], name: `relu${name}` });
      previous = `r${name}`;
    }
  });
  nodes.push({ opType: 'GlobalAveragePool', input: [previous], output: ['gap'], name: 'gap' });
  nodes.push({
    opType: 'Flatten',
    input: ['gap'],
    output: ['flat'],
    name: 'flat',
    attribute: [{ name: 'axis', i: 1, type: ATTR_INT }],
  });
  initializer.push(
    floatTensor(
      'dense',
      [inChannels, tags],
      Array.from({ length: inChannels * tags }, () => random() * 0.1),
    ),
  );
  initializer.push(
    floatTensor(
      'bias',
      [tags],
      Array.from({ length: tags }, () => -2),
    ),
  );
  nodes.push({ opType: 'MatMul', input: ['flat', 'dense'], output: ['mm'], name: 'mm' });
  nodes.push({ opType: 'Add', input: ['mm', 'bias'], output: ['logits'], name: 'add' });
  nodes.push({ opType: 'Sigmoid', input: ['logits'], output: [outputName], name: 'sigmoid' });
  const model = {
    irVersion: 8,
    producerName: 'danlu-bench',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'bench_wd',
      node: nodes,
      initializer,
      input: [valueInfo(inputName, ['batch', 448, 448, 3])],
      output: [valueInfo(outputName, ['batch', tags])],
    },
  };
  const error = ModelProto.verify(model);
  if (error) throw new Error(`bench model: ${error}`);
  return Buffer.from(ModelProto.encode(ModelProto.fromObject(model)).finish());
}

/** A selected_tags.csv of `count` tags in v3's shape: 4 ratings, general tags, then characters. */
export function benchTagsCsv(count = 10861): string {
  const lines = ['tag_id,name,category,count'];
  for (let i = 0; i < count; i++) {
    const category = i < 4 ? 9 : i < count - 2751 ? 0 : 4;
    lines.push(`${String(i)},tag_${String(i)},${String(category)},${String(count - i)}`);
  }
  return `${lines.join('\n')}\n`;
}
