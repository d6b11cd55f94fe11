#!/usr/bin/env python3
"""segkit's bridge to Jupyter: execute a notebook with nbclient, or export one to HTML.

Called by src/notebook/python.ts, never by hand. Three sub-commands:

  execute.py execute --input IN.ipynb --output OUT.ipynb --cwd DIR [--kernel tslab] [--timeout SEC]
  execute.py html --input IN.ipynb --output OUT.html [--report-mode]
  execute.py sign --input NB.ipynb       (trust the notebook for this user, as `jupyter trust` does)

Every line on stdout is one JSON event (``{"event": ...}``); anything else goes to stderr.
Events: start {cells, total}, kernel_ready {elapsed}, cell_start {index, ordinal, total}, cell_done {index, ordinal,
total, elapsed, status}, done {status, failed_index?, ename?, evalue?}, fatal {code, message}.
Exit codes: 0 ran (the notebook may have failed: see the done event), 2 fatal before/while
starting the kernel, 3 Python packages missing.
"""
import argparse
import json
import math
import re
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
        content = execute_reply.get("content", {}) if execute_reply else {}
        status = content.get("status", "ok")
        # tslab sends no execute_input message, where nbclient reads the count: take it from the reply.
        if cell.get("execution_count") is None and isinstance(content.get("execution_count"), int):
            cell["execution_count"] = content["execution_count"]
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
        emit(event="fatal", code="kernel_missing", message="no Jupyter kernel named %s (%s)" % (args.kernel, e))
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
            emit(event="fatal", code="kernel_start", message="%s: %s" % (type(e).__name__, e))
            return 2
        done = {"status": "error", "failed_index": state["index"], "ename": type(e).__name__, "evalue": str(e)}
    collapse_carriage_returns(nb)
    nbformat.write(nb, args.output)
    emit(event="done", **done)
    return 0


def collapse_carriage_returns(nb):
    """Merge consecutive stream outputs of a cell (each write is its own message) and keep what a terminal
    shows of them: a line rewritten with \\r keeps its last version (progress lines), as Jupyter shows it
    live; nbconvert would print every version."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if out.get("output_type") == "stream" and last is not None and last.get("output_type") == "stream" and last.get("name") == out.get("name"):
                last["text"] += out.get("text", "")
            else:
                merged.append(out)
        for out in merged:
            if out.get("output_type") == "stream" and "\r" in out.get("text", ""):
                lines = out["text"].replace("\r\n", "\n").split("\n")
                out["text"] = "\n".join(line.rstrip("\r").rsplit("\r", 1)[-1] for line in lines)
        if "outputs" in cell:
            cell["outputs"] = merged


def inline_svg_outputs(nb):
    """nbconvert 6.5 passes image/svg+xml outputs through its clean_html filter, which strips every SVG
    element and leaves only the chart's text. segkit's charts are generated by vega (text escaped, no
    script, no URL), so they are given as text/html instead, which the exporter keeps as inline SVG."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data") or {}
            svg = data.get("image/svg+xml")
            if svg is None or "text/html" in data:
                continue
            svg = "".join(svg) if isinstance(svg, list) else svg
            if "<script" in svg.lower():
                continue  # not one of ours: leave it to nbconvert's sanitizer
            data["text/html"] = '<div class="segkit-chart">' + svg + "</div>"
            del data["image/svg+xml"]


def html(args):
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(args.input, as_version=4)
    inline_svg_outputs(nb)
    exporter = HTMLExporter()
    if args.report_mode:
        exporter.exclude_input = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(portable(body))
    emit(event="done", status="ok")
    return 0


def portable(body):
    """Drop what the export loads from outside the file: Debian's nbconvert points require.js and MathJax
    at file:///usr/share/javascript/…, which a reader on another machine does not have. segkit's outputs
    need neither (no widgets; charts are inline SVG or PNG)."""
    body = re.sub(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", "", body, flags=re.S)
    return re.sub(r"<script[^>]*\bsrc=\"(?!data:)[^\"]*\"[^>]*>\s*</script>", "", body)


def sign(args):
    import nbformat
    from nbformat.sign import NotebookNotary

    nb = nbformat.read(args.input, as_version=4)
    NotebookNotary().sign(nb)
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
    sg = sub.add_parser("sign")
    sg.add_argument("--input", required=True)
    args = parser.parse_args(argv)
    try:
        import nbformat  # noqa: F401
        import nbclient  # noqa: F401
        if args.command == "html":
            import nbconvert  # noqa: F401
    except ImportError as e:
        emit(event="fatal", code="python_deps", message=str(e))
        return 3
    return {"execute": execute, "html": html, "sign": sign}[args.command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
