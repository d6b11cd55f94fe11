/**
 * Every TypeScript file under src/, parsed with the TypeScript compiler (no type checking): its stage,
 * what it imports and whether it reads process.env. Shared by the architecture tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../helpers/shared';

export const SRC = path.join(ROOT, 'src');

export interface Import {
  /** As written: './x', '../cluster/kmeans', 'node:fs', 'vega'. */
  spec: string;
  /** For a relative import: the stage of the imported file (null for files outside src/, e.g. package.json). */
  stage: string | null;
  typeOnly: boolean;
  line: number;
}

export interface SourceFile {
  /** Path under src/, with forward slashes: 'cluster/kmeans.ts'. */
  file: string;
  stage: string;
  imports: Import[];
  /** Lines where `process.env` is read. */
  processEnv: number[];
  ast: ts.SourceFile;
}

/**
 * The stage of a path under src/: its first folder ('select-k/sweep.ts' → 'select-k'), or for a file at
 * the top its name without extension ('errors.ts' → 'errors', 'data/segments.json' → 'data').
 */
export function stageOf(rel: string): string {
  const parts = rel.split('/');
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.(ts|json)$/, '');
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function parse(abs: string): SourceFile {
  const file = path.relative(SRC, abs).split(path.sep).join('/');
  const ast = ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, true);
  const imports: Import[] = [];
  const processEnv: number[] = [];
  const lineOf = (n: ts.Node): number => ast.getLineAndCharacterOfPosition(n.getStart(ast)).line + 1;
  const add = (spec: string, node: ts.Node, typeOnly: boolean): void => {
    let stage: string | null = null;
    if (spec.startsWith('.')) {
      const target = path
        .relative(SRC, path.resolve(path.dirname(abs), spec))
        .split(path.sep)
        .join('/');
      stage = target.startsWith('..') ? null : stageOf(/\.(ts|json)$/.test(target) || target.includes('/') ? target : `${target}.ts`);
    }
    imports.push({ spec, stage, typeOnly, line: lineOf(node) });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? !!node.importClause?.isTypeOnly : node.isTypeOnly;
      add(node.moduleSpecifier.text, node, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node.moduleReference.expression.text, node, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) add(node.arguments[0].text, node, false);
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'process' && node.name.text === 'env') {
      processEnv.push(lineOf(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(ast);
  return { file, stage: stageOf(file), imports, processEnv, ast };
}

let cache: SourceFile[] | null = null;

/** Every .ts file under src/, parsed once per test file. */
export function sourceFiles(): SourceFile[] {
  cache ??= walk(SRC).sort().map(parse);
  return cache;
}
