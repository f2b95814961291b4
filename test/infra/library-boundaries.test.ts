/**
 * The library's shape, read with the TypeScript compiler: lib/ reaches nothing in bin/ (this repository's app) or
 * lambda/ (the handlers' source, which the package does not ship), the source tree has no import circle, and every
 * declaration the entry point exports (each class, interface, enum and their public members) has a doc comment.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const TREES = ['lib', 'lambda', 'contract', 'client', 'cli', 'local', 'bin'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The relative imports and re-exports of a file (type-only ones too), resolved to files. */
function importsOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const statement of source.statements) {
    const spec =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier
        ? (statement.moduleSpecifier as ts.StringLiteral).text
        : undefined;
    if (spec === undefined || !spec.startsWith('.')) continue;
    const base = resolve(dirname(file), spec);
    const candidate = [`${base}.ts`, join(base, 'index.ts')].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    if (candidate) out.push(candidate);
  }
  return out;
}

const files = TREES.flatMap((tree) => tsFiles(join(ROOT, tree)));
const graph = new Map(files.map((f) => [f, importsOf(f)]));
const rel = (f: string) => relative(ROOT, f);

describe('library boundaries', () => {
  test('no file under lib/ imports from bin/ or lambda/, directly or through another file', () => {
    const reached = new Set<string>();
    const visit = (f: string) => {
      if (reached.has(f)) return;
      reached.add(f);
      for (const next of graph.get(f) ?? importsOf(f)) visit(next);
    };
    for (const f of files.filter((f) => rel(f).startsWith('lib/'))) visit(f);
    const outside = [...reached].map(rel).filter((f) => f.startsWith('bin/') || f.startsWith('lambda/'));
    expect(outside).toEqual([]);
  });

  test('no import circle in the source tree', () => {
    // Tarjan's strongly connected components: any component of more than one file (or a self-import) is a circle.
    let index = 0;
    const indices = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    const connect = (v: string) => {
      indices.set(v, index);
      low.set(v, index);
      index++;
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!indices.has(w)) {
          connect(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
      if (low.get(v) === indices.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(rel(w));
        } while (w !== v);
        if (component.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(component.sort());
      }
    };
    for (const f of files) if (!indices.has(f)) connect(f);
    expect(circles).toEqual([]);
  });

  test('every public class, interface, enum and public member exported by lib/index.ts has a doc comment', () => {
    const entry = join(ROOT, 'lib', 'index.ts');
    const program = ts.createProgram([entry], { strict: true, target: ts.ScriptTarget.ES2022, noEmit: true });
    const checker = program.getTypeChecker();
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    const hasDoc = (node: ts.Node) => ts.getJSDocCommentsAndTags(node).length > 0;
    const undocumented: string[] = [];
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const decl of symbol.declarations ?? []) {
        if (!hasDoc(decl)) undocumented.push(symbol.name);
        if (!(ts.isClassDeclaration(decl) || ts.isInterfaceDeclaration(decl) || ts.isEnumDeclaration(decl))) continue;
        for (const member of decl.members as ts.NodeArray<ts.ClassElement | ts.TypeElement | ts.EnumMember>) {
          const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
          if (
            modifiers.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)
          )
            continue;
          if (member.name && ts.isPrivateIdentifier(member.name)) continue;
          if (ts.isClassStaticBlockDeclaration(member) || ts.isIndexSignatureDeclaration(member)) continue;
          const name = ts.isConstructorDeclaration(member) ? 'constructor' : (member.name?.getText() ?? '?');
          if (!hasDoc(member)) undocumented.push(`${symbol.name}.${name}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
  });
});
