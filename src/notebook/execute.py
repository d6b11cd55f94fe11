#!/usr/bin/env python3
"""segkit's bridge to Jupyter: execute a notebook with nbclient, or export one to HTML.

Called by src/notebook/python.ts, never by hand. Two sub-commands:

  execute.py execute --input IN.ipynb --output OUT.ipynb --cwd DIR [--kernel tslab] [--timeout SEC]
  execute.py html --input IN.ipynb --output OUT.html [--report-mode]

Every line on stdout is one JSON event (``{"event": ...}``); anything else goes to stderr.
Events: start {cells, total}, kernel_ready {elapsed}, cell_start {index, ordinal, total}, cell_done {index, ordinal,
total, elapsed, status}, done {status, failed_index?, ename?, evalue?}, fatal {code, message}.
Exit codes: 0 ran (the notebook may have failed: see the done event), 2 fatal before/while
starting the kernel, 3 Python packages missing.
"""
import argparse
import json
import math
import sys
import time


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def is_code(cell):
    return cell.cell_type == "code" and cell.source.strip() != ""


def execute(args):
    import nbformat
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    nb = nbformat.read(args.input, as_version=4)
    ordinals = {}
    for i, cell in enumerate(nb.cells):
        if is_code(cell):
            ordinals[i] = len(ordinals) + 1
    total = len(ordinals)
    state = {"index": None, "t0": None, "start": time.monotonic()}

    def on_notebook_start(notebook):
        emit(event="kernel_ready", elapsed=time.monotonic() - state["start"])

    def on_cell_execute(cell, cell_index):
        state["index"] = cell_index
        state["t0"] = time.monotonic()
        emit(event="cell_start", index=cell_index, ordinal=ordinals.get(cell_index, 0), total=total)

    def on_cell_executed(cell, cell_index, execute_reply):
        status = execute_reply.get("content", {}).get("status", "ok") if execute_reply else "ok"
        emit(
            event="cell_done",
            index=cell_index,
            ordinal=ordinals.get(cell_index, 0),
            total=total,
            elapsed=time.monotonic() - (state["t0"] or time.monotonic()),
            status=status,
        )

    client = NotebookClient(
        nb,
        kernel_name=args.kernel,
        timeout=int(math.ceil(args.timeout)) if args.timeout and args.timeout > 0 else None,
        startup_timeout=int(args.startup_timeout),
        resources={"metadata": {"path": args.cwd}},
        on_notebook_start=on_notebook_start,
        on_cell_execute=on_cell_execute,
        on_cell_executed=on_cell_executed,
    )
    emit(event="start", cells=len(nb.cells), total=total)
    done = {"status": "ok"}
    try:
        client.execute()
    except NoSuchKernel as e:
        emit(event="fatal", code="KERNEL_MISSING", message="no Jupyter kernel named %s (%s)" % (args.kernel, e))
        return 2
    except CellTimeoutError as e:
        done = {"status": "error", "failed_index": state["index"], "ename": "CellTimeoutError",
                "evalue": "cell did not finish within %g s" % args.timeout}
    except CellExecutionError as e:
        done = {"status": "error", "failed_index": state["index"], "ename": e.ename, "evalue": e.evalue}
    except DeadKernelError as e:
        done = {"status": "error", "failed_index": state["index"], "ename": "DeadKernelError", "evalue": str(e)}
    except Exception as e:  # kernel failed to start (missing binary, bad kernel.json, ...)
        if state["index"] is None:
            emit(event="fatal", code="KERNEL_START", message="%s: %s" % (type(e).__name__, e))
            return 2
        done = {"status": "error", "failed_index": state["index"], "ename": type(e).__name__, "evalue": str(e)}
    nbformat.write(nb, args.output)
    emit(event="done", **done)
    return 0


def html(args):
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(args.input, as_version=4)
    exporter = HTMLExporter()
    if args.report_mode:
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(body)
    emit(event="done", status="ok")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(prog="execute.py")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("execute")
    ex.add_argument("--input", required=True)
    ex.add_argument("--output", required=True)
    ex.add_argument("--cwd", required=True)
    ex.add_argument("--kernel", default="tslab")
    ex.add_argument("--timeout", type=float, default=None)
    ex.add_argument("--startup-timeout", type=float, default=60)
    ht = sub.add_parser("html")
    ht.add_argument("--input", required=True)
    ht.add_argument("--output", required=True)
    ht.add_argument("--report-mode", action="store_true")
    args = parser.parse_args(argv)
    try:
        import nbformat  # noqa: F401
        import nbclient  # noqa: F401
        if args.command == "html":
            import nbconvert  # noqa: F401
    except ImportError as e:
        emit(event="fatal", code="PYTHON_DEPS", message=str(e))
        return 3
    return execute(args) if args.command == "execute" else html(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
