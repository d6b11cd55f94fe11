/**
 * Which (stage, code) pairs src/ can throw: every `new SegkitError(stage, code, …)`, with the stage and
 * code followed back to string literals. A stage or code passed in by a caller is traced through the
 * function's call sites (a helper such as `fail(code, …)`, `checkK(k, n, 'select-k')`, or the option
 * checkers' `{ stage, code }` objects), jointly, so a pair is only reported when one call path gives both.
 * A site whose code cannot be traced to literals is reported as unresolved (the test then asks for a
 * literal, or for the site to be listed with the codes it forwards).
 */
import path from 'node:path';
import ts from 'typescript';
import { SRC, sourceFiles, type SourceFile } from './sources';

export interface Thrown {
  stage: string;
  code: string;
  /** 'cluster/kmeans.ts:66' of the `new SegkitError`. */
  at: string;
}

export interface Unresolved {
  /** 'notebook/inject.ts:82'. */
  at: string;
  /** The enclosing function's name, or '(top level)'. */
  fn: string;
  text: string;
}

const ABSENT = '\u0000absent';

/** A value to resolve: an expression, or one property of what an expression evaluates to. */
interface Term {
  node: ts.Expression;
  prop?: string;
  /** `x ?? 'y'`: the values to use when x is absent. */
  orElse?: Set<string>;
}

type FnLike = ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration;

const files = (): SourceFile[] => sourceFiles();
const byPath = (): Map<string, SourceFile> => new Map(files().map((f) => [path.join(SRC, f.file), f]));

function fileOf(node: ts.Node): SourceFile {
  const sf = node.getSourceFile();
  return byPath().get(sf.fileName)!;
}

function lineAt(node: ts.Node): string {
  const sf = node.getSourceFile();
  return `${path.relative(SRC, sf.fileName).split(path.sep).join('/')}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}`;
}

const isFn = (n: ts.Node): n is FnLike => ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n);

function enclosingFn(node: ts.Node): FnLike | undefined {
  for (let n = node.parent; n; n = n.parent) if (isFn(n)) return n;
  return undefined;
}

/** The name a function is called by: its declaration's, or the const it is assigned to. */
function fnName(fn: FnLike): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/** The module file a relative import specifier of `from` names (x.ts or x/index.ts), or null. */
function resolveSpec(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [`${base}.ts`, path.join(base, 'index.ts')]) if (byPath().has(f)) return f;
  return null;
}

/** Does `importer` import `name` from the file `target` (directly, or through an index that re-exports it)? */
function importsFrom(importer: ts.SourceFile, name: string, target: string, depth = 0): boolean {
  if (depth > 3) return false;
  for (const st of importer.statements) {
    const isImport = ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings);
    const isReexport = depth > 0 && ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause);
    if (!isImport && !isReexport) continue;
    const spec = (st as ts.ImportDeclaration | ts.ExportDeclaration).moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec)) continue;
    const elements: ReadonlyArray<ts.ImportSpecifier | ts.ExportSpecifier> = isImport
      ? ((st as ts.ImportDeclaration).importClause!.namedBindings as ts.NamedImports).elements
      : ((st as ts.ExportDeclaration).exportClause as ts.NamedExports).elements;
    const el = elements.find((e) => e.name.text === name);
    if (!el) continue;
    const source = resolveSpec(importer.fileName, spec.text);
    if (!source) continue;
    const imported = (el.propertyName ?? el.name).text;
    if (source === target) return true;
    if (importsFrom(byPath().get(source)!.ast, imported, target, depth + 1)) return true;
  }
  return false;
}

/** Every call `name(…)` of the function `fn`: in its own file, and in files that import it by that name. */
function callSites(fn: FnLike): ts.CallExpression[] {
  const name = fnName(fn);
  if (!name) return [];
  const home = fn.getSourceFile().fileName;
  const out: ts.CallExpression[] = [];
  for (const f of files()) {
    const abs = path.join(SRC, f.file);
    if (abs !== home && !importsFrom(f.ast, name, home)) continue;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) out.push(n);
      ts.forEachChild(n, visit);
    };
    visit(f.ast);
  }
  return out;
}

const strip = (e: ts.Expression): ts.Expression => {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
};

/** The parameter an identifier names in its enclosing function(s), with the function and the index. */
function paramOf(id: ts.Identifier): { fn: FnLike; index: number; param: ts.ParameterDeclaration } | null {
  for (let n: ts.Node | undefined = id.parent; n; n = n.parent) {
    if (!isFn(n)) continue;
    const index = n.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === id.text);
    if (index >= 0) return { fn: n, index, param: n.parameters[index] };
  }
  return null;
}

/** A const declared with an initializer in the same file, by name (e.g. `const stage = 'io'`). */
function constInit(id: ts.Identifier): ts.Expression | null {
  let found: ts.Expression | null = null;
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === id.text && n.initializer && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const)
      found = n.initializer;
    if (!found) ts.forEachChild(n, visit);
  };
  visit(id.getSourceFile());
  return found;
}

type Step = { values: Set<string> } | { dependsOn: { fn: FnLike; index: number; param: ts.ParameterDeclaration; prop?: string; orElse?: Set<string> } } | null;

/** One step of resolving a term in its own context: literal values, a dependency on a parameter, or null (cannot tell). */
function step(t: Term, depth: number): Step {
  const e = strip(t.node);
  const withElse = (s: Set<string>): Set<string> => (t.orElse && s.has(ABSENT) ? new Set([...[...s].filter((v) => v !== ABSENT), ...t.orElse]) : s);
  if (t.prop === undefined) {
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return { values: new Set([e.text]) };
    if (e.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(e) && e.text === 'undefined')) return { values: withElse(new Set([ABSENT])) };
    if (ts.isConditionalExpression(e)) {
      const a = resolveTerm({ node: e.whenTrue, orElse: t.orElse }, depth);
      const b = resolveTerm({ node: e.whenFalse, orElse: t.orElse }, depth);
      return a && b ? { values: new Set([...a, ...b]) } : null;
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      const right = resolveTerm({ node: e.right, orElse: t.orElse }, depth);
      return right ? step({ node: e.left, orElse: right }, depth) : null;
    }
    if (ts.isIdentifier(e)) {
      const p = paramOf(e);
      if (p) return { dependsOn: { ...p, orElse: t.orElse } };
      const init = constInit(e);
      return init ? step({ node: init, orElse: t.orElse }, depth) : null;
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
      const p = paramOf(e.expression);
      if (p) return { dependsOn: { ...p, prop: e.name.text, orElse: t.orElse } };
    }
    return null;
  }
  // a property of an object
  if (ts.isObjectLiteralExpression(e)) {
    for (let i = e.properties.length - 1; i >= 0; i--) {
      const p = e.properties[i];
      if (ts.isPropertyAssignment(p) && p.name.getText() === t.prop) return step({ node: p.initializer, orElse: t.orElse }, depth);
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === t.prop) return step({ node: p.name, orElse: t.orElse }, depth);
      if (ts.isSpreadAssignment(p)) return step({ node: p.expression, prop: t.prop, orElse: t.orElse }, depth);
    }
    return { values: withElse(new Set([ABSENT])) };
  }
  if (ts.isIdentifier(e)) {
    const p = paramOf(e);
    if (p) return { dependsOn: { ...p, prop: t.prop, orElse: t.orElse } };
  }
  return null;
}

/** The values a single term can take (null: cannot tell). */
function resolveTerm(t: Term, depth: number): Set<string> | null {
  const r = resolveJoint([t], depth);
  return r ? new Set(r.map((v) => v[0])) : null;
}

/**
 * The value combinations a list of terms can take together (one per call path), or null. Terms that
 * depend on parameters of the same function are followed through each call site of it together.
 */
function resolveJoint(terms: Term[], depth: number): string[][] | null {
  if (depth > 6) return null;
  const steps = terms.map((t) => step(t, depth));
  if (steps.some((s) => s === null)) return null;
  const deps = steps.filter((s): s is { dependsOn: NonNullable<Extract<Step, { dependsOn: unknown }>>['dependsOn'] } => !!s && 'dependsOn' in s);
  if (deps.length === 0) return product(steps.map((s) => [...(s as { values: Set<string> }).values]));
  const fn = deps[0].dependsOn.fn;
  if (deps.some((d) => d.dependsOn.fn !== fn)) return null;
  const sites = callSites(fn);
  if (sites.length === 0) return null;
  const out: string[][] = [];
  for (const call of sites) {
    const next: Term[] = steps.map((s) => {
      if (s && 'values' in s) return { node: ts.factory.createStringLiteral('') } as Term; // placeholder, replaced below
      const d = (s as { dependsOn: { index: number; param: ts.ParameterDeclaration; prop?: string; orElse?: Set<string> } }).dependsOn;
      const arg = call.arguments[d.index] ?? d.param.initializer;
      return arg ? { node: arg, prop: d.prop, orElse: d.orElse } : { node: ts.factory.createIdentifier('undefined'), orElse: d.orElse };
    });
    const idx = steps.map((s, i) => (s && 'dependsOn' in s ? i : -1)).filter((i) => i >= 0);
    const sub = resolveJoint(
      idx.map((i) => next[i]),
      depth + 1,
    );
    if (!sub) return null;
    const fixed = steps.map((s) => (s && 'values' in s ? [...s.values] : null));
    for (const combo of sub) {
      const parts = fixed.map((v, i) => (v ? v : [combo[idx.indexOf(i)]]));
      out.push(...product(parts));
    }
  }
  return out;
}

function product(parts: string[][]): string[][] {
  return parts.reduce<string[][]>((acc, vals) => acc.flatMap((a) => vals.map((v) => [...a, v])), [[]]);
}

/** Every SegkitError construction in src/, resolved to (stage, code) pairs where possible. */
export function thrownCodes(): { thrown: Thrown[]; unresolved: Unresolved[] } {
  const thrown: Thrown[] = [];
  const unresolved: Unresolved[] = [];
  for (const f of files()) {
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'SegkitError' && n.arguments && n.arguments.length >= 2) {
        const at = lineAt(n);
        const pairs = resolveJoint([{ node: n.arguments[0] }, { node: n.arguments[1] }], 0);
        if (!pairs) {
          const fn = enclosingFn(n);
          unresolved.push({ at, fn: (fn && fnName(fn)) ?? '(anonymous)', text: n.arguments[1].getText() });
        } else for (const [stage, code] of pairs) if (stage !== ABSENT && code !== ABSENT) thrown.push({ stage, code, at });
      }
      ts.forEachChild(n, visit);
    };
    visit(f.ast);
  }
  return { thrown, unresolved };
}

export { fileOf };
