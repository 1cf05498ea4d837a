# Sourced by scripts/serve and scripts/test: installs what is missing, and nothing else.
# Debian's chromium (tests only), Node's npm (fetches the pinned npm packages), a virtualenv
# in .venv with hostcall installed editable, the Pyodide runtime and the showcase's editor.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  echo "setup: installing $* with apt-get" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_chromium() {
  [ -x "${HOSTCALL_CHROMIUM:-/usr/bin/chromium}" ] || apt_install chromium
}

ensure_npm() {
  command -v npm >/dev/null || apt_install nodejs npm
}

ensure_venv() {
  local extra=$1 stamp=.venv/.hostcall-installed
  [ -x .venv/bin/python ] || python3 -m venv .venv
  local want
  want="$extra $(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "setup: installing hostcall[$extra] into .venv" >&2
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[$extra]"
    echo "$want" >"$stamp"
  fi
}

ensure_runtime() {
  ensure_npm
  .venv/bin/hostcall setup >/dev/null
}

# The JavaScript build's pinned tools (esbuild-wasm, typescript): sets HOSTCALL_BUILD_TOOLS
# to the directory holding one folder per package.
ensure_build_tools() {
  ensure_npm
  HOSTCALL_BUILD_TOOLS=$(.venv/bin/hostcall setup --build-tools)
  export HOSTCALL_BUILD_TOOLS
}
