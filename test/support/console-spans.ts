/** A span as OpenTelemetry's ConsoleSpanExporter prints it (util.inspect of the span's summary). */
export interface PrintedSpan {
  traceId: string;
  id: string;
  parentId: string | null;
  name: string;
  /** SpanKind: 0 internal, 1 server, 2 client, 3 producer, 4 consumer. */
  kind: number;
  attributes: Record<string, string>;
}

/**
 * Reads the spans out of a process's stdout lines. The exporter prints each span as a multi-line
 * object starting with a line `{` and ending with a line `}`; JSON log lines sit on single lines
 * in between and are skipped.
 */
export function parseConsoleSpans(lines: string[]): PrintedSpan[] {
  const spans: PrintedSpan[] = [];
  let block: string[] | undefined;
  for (const line of lines) {
    if (line === '{') block = [];
    else if (line === '}' && block) {
      const span = parseBlock(block.join('\n'));
      if (span) spans.push(span);
      block = undefined;
    } else block?.push(line);
  }
  return spans;
}

function parseBlock(text: string): PrintedSpan | undefined {
  const top = (key: string) => new RegExp(`^  ${key}: (?:'([^']*)'|"([^"]*)"|(\\d+))`, 'm').exec(text);
  const traceId = top('traceId')?.[1];
  const id = top('id')?.[1];
  const name = top('name');
  const kind = top('kind')?.[3];
  if (!traceId || !id || !name || kind === undefined) return undefined;
  const parent = /^ {2}parentSpanContext: \{[^}]*?spanId: '([0-9a-f]{16})'/m.exec(text);
  const attributes: Record<string, string> = {};
  const block = /^ {2}attributes: \{\n([\s\S]*?)\n {2}\}/m.exec(text);
  for (const line of block?.[1].split('\n') ?? []) {
    const match = /^ {4}'?([^':]+)'?: '?(.*?)'?,?$/.exec(line);
    if (match) attributes[match[1]] = match[2];
  }
  return { traceId, id, parentId: parent?.[1] ?? null, name: name[1] ?? name[2], kind: Number(kind), attributes };
}
