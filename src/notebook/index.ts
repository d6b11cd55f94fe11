/**
 * Notebooks: papermill-style parameterized execution of TypeScript (tslab) notebooks.
 *
 * readNotebook → inspectParameters (the cell tagged "parameters") → injectParameters (a cell
 * tagged "injected-parameters" that re-declares them) → executeNotebook (nbclient + tslab via
 * execute.py; the executed copy is written even when a cell fails) → runBatch (one run per line).
 */
export { type JsonValue, type Notebook, type NotebookCell, type NotebookOutput, readNotebook, parseNotebook, serializeNotebook, cellSource, PARAMETERS_TAG, INJECTED_TAG, ERROR_BANNER_TAG } from './nbformat';
export { type Parameters, parseParameterValue, pairTokens, loadParameterFile, toTsLiteral, valueTypeName } from './values';
export { type NotebookParameter, type ParameterInspection, inspectParameters, parseParametersSource } from './inspect';
export { checkParametersSyntax, syntaxError, type CellSyntaxError } from './syntax';
export { checkType, type TypeVerdict } from './typecheck';
export { type InjectOptions, injectParameters, validateParameters, injectedLine } from './inject';
export { type CellError, type FailedCell, describeCellError } from './failure';
export { type ProgressEvent, formatProgress, formatRunning, progressWriter } from './progress';
export { type ExecuteOptions, type ExecuteResult, executeNotebook, exportHtml, signNotebook, defaultOutputPath } from './execute';
export { writeKernelSpec, tslabBinary } from './kernelspec';
export { type BatchRun, type BatchOutcome, readBatchFile, runBatch } from './batch';
export { pythonExecutable, executeScriptPath } from './python';
