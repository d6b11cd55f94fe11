#!/bin/sh
# segkit's launcher for the tslab (TypeScript) and jslab Jupyter kernels; `make kernel` installs it in the
# user's kernel spec folders (kernel.json: /bin/sh {resource_dir}/tslab-kernel.sh {connection_file} [--js]).
#
# No checkout owns the registration. Jupyter starts a kernel in the notebook's folder, so the tslab used
# is the one in node_modules/.bin of that folder or the nearest one above it: each checkout's notebooks
# run with that checkout's tslab, whichever clone registered the kernel and whether it still exists.
# A notebook outside every checkout gets the tslab of the checkout that last registered the kernel
# (the path in ./fallback) while it exists, else a tslab on PATH.
conn=$1
shift
dir=$PWD
while :; do
  if [ -x "$dir/node_modules/.bin/tslab" ]; then exec "$dir/node_modules/.bin/tslab" kernel --config-path "$conn" "$@"; fi
  [ "$dir" = / ] && break
  dir=$(dirname "$dir")
done
fallback=
[ -r "$(dirname "$0")/fallback" ] && fallback=$(cat "$(dirname "$0")/fallback")
if [ -n "$fallback" ] && [ -x "$fallback/node_modules/.bin/tslab" ]; then exec "$fallback/node_modules/.bin/tslab" kernel --config-path "$conn" "$@"; fi
if command -v tslab >/dev/null 2>&1; then exec tslab kernel --config-path "$conn" "$@"; fi
echo "segkit: no tslab for a notebook in $PWD: there is no node_modules/.bin/tslab in this folder or above it${fallback:+, nor in $fallback}." >&2
echo "Run \`make setup\` in the segkit checkout that holds the notebook (or move the notebook into one)." >&2
exit 1
