import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** The style's "~40 lines a function": a body longer than this must say why. */
const LIMIT = 40;
/** What a long function's leading comment says, then why it reads better whole. */
const KEPT = 'Kept in one piece:';
const ROOT = join(__dirname, '..', '..');
const SCANNED = ['lib', 'functions', 'cli'];

/**
 * Pending: long functions in files another change is splitting at the same time. Each
 * entry is `file name`; remove it once that file's function is split or says `Kept in one
 * piece:` (the test below fails on an entry that is no longer long, so none outlives it).
 */
const PENDING = new Set<string>([]);

interface LongFunction {
  file: string;
  line: number;
  name: string;
  lines: number;
}

type FunctionNode = ts.SignatureDeclaration & { body?: ts.Node };

function isFunction(node: ts.Node): node is FunctionNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node) ||
    ts.isArrowFunction(node) ||
    ts.isFunctionExpression(node)
  );
}

/** The function and what holds it: `const x = () => {}`, `{ x: function () {} }`, `export =`. */
function holders(node: ts.Node): ts.Node[] {
  const out = [node];
  let at = node;
  while (
    ts.isVariableDeclaration(at.parent) ||
    ts.isVariableDeclarationList(at.parent) ||
    ts.isVariableStatement(at.parent) ||
    ts.isPropertyAssignment(at.parent) ||
    ts.isPropertyDeclaration(at.parent) ||
    ts.isExportAssignment(at.parent)
  ) {
    at = at.parent;
    out.push(at);
  }
  return out;
}

function leadingComments(text: string, nodes: ts.Node[]): string {
  return nodes
    .flatMap((node) => ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [])
    .map((range) => text.slice(range.pos, range.end))
    .join('\n');
}

function nameOf(node: FunctionNode): string {
  if (node.name) return node.name.getText();
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (
    (ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent)) &&
    parent.name
  )
    return parent.name.getText();
  return '<anonymous>';
}

/** Every function of one source whose body is over `limit` lines and does not say why. */
function longFunctions(file: string, text: string, limit = LIMIT): LongFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => source.getLineAndCharacterOfPosition(position).line + 1;
  const found: LongFunction[] = [];
  const visit = (node: ts.Node) => {
    if (isFunction(node) && node.body) {
      // Counted like the review does: from the body's `{` line to its `}` line.
      const lines = lineOf(node.body.getEnd()) - lineOf(node.body.getStart()) + 1;
      if (lines > limit && !leadingComments(text, holders(node)).includes(KEPT))
        found.push({ file, line: lineOf(node.getStart()), name: nameOf(node), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const describeLong = (f: LongFunction) => `${f.file}:${f.line} ${f.name} (${f.lines} lines)`;

/** `lines` lines of statements, the body of a fixture function. */
const statements = (lines: number) =>
  Array.from({ length: lines }, (_, i) => `  total += ${i};`).join('\n');

describe('function length', () => {
  it('given lib/, functions/ and cli/, then no function is over 40 lines without saying why', () => {
    // Prepare
    const files = SCANNED.flatMap((dir) => sourcesUnder(join(ROOT, dir)));

    // Act
    const long = files.flatMap((path) =>
      longFunctions(relative(ROOT, path), readFileSync(path, 'utf8')),
    );
    const unexplained = long.filter((f) => !PENDING.has(`${f.file} ${f.name}`));
    const stillPending = new Set(long.map((f) => `${f.file} ${f.name}`));

    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(unexplained.map(describeLong)).toEqual([]);
    expect([...PENDING].filter((entry) => !stillPending.has(entry))).toEqual([]);
  });

  it('given a 41-line function with no reason, then it is named with its file, line and length', () => {
    // Prepare
    const fixture = [
      'import { x } from "y";',
      '',
      '/** Adds things up. */',
      'export function addUp(): number {',
      '  let total = 0;',
      statements(37),
      '  return total;',
      '}',
    ].join('\n');

    // Act
    const long = longFunctions('lib/fixture.ts', fixture).map(describeLong);

    // Assess
    expect(long).toEqual(['lib/fixture.ts:4 addUp (41 lines)']);
  });

  it('given long arrows and methods, then each is named, and 40 lines is still within the limit', () => {
    // Prepare
    const fixture = [
      'export const viaArrow = () => {',
      statements(39),
      '};',
      'class Thing {',
      '  method(): void {',
      statements(39),
      '  }',
      '}',
      'function justRight() {',
      statements(38),
      '}',
      'run(async () => {',
      statements(39),
      '});',
    ].join('\n');

    // Act
    const long = longFunctions('cli/fixture.ts', fixture).map(describeLong);

    // Assess
    expect(long).toEqual([
      'cli/fixture.ts:1 viaArrow (41 lines)',
      'cli/fixture.ts:43 method (41 lines)',
      'cli/fixture.ts:125 <anonymous> (41 lines)',
    ]);
  });

  it('given "Kept in one piece:" on the function or on what holds it, then it is accepted', () => {
    // Prepare
    const fixture = [
      '/**',
      ' * Builds the client.',
      ' * Kept in one piece: its closures share one limiter.',
      ' */',
      'export function createClient() {',
      statements(45),
      '}',
      '// Kept in one piece: a table read top to bottom.',
      'export const table = () => {',
      statements(45),
      '};',
      'const handlers = {',
      '  /** Kept in one piece: the order is the contract. */',
      '  onEvent: function () {',
      statements(45),
      '  },',
      '};',
      '/** A comment that gives no reason. */',
      'export const unexplained = () => {',
      statements(45),
      '};',
    ].join('\n');

    // Act
    const long = longFunctions('lib/fixture.ts', fixture).map((f) => f.name);

    // Assess
    expect(long).toEqual(['unexplained']);
  });
});
