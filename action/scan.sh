#!/usr/bin/env bash
# The scan step of action.yml, kept in a script so it can be run and tested outside GitHub Actions.
#
# Inputs come as INPUT_* variables (set by action.yml): INPUT_PATHS (whitespace-separated), INPUT_FORMAT (the report
# printed in the job log; `github` turns findings into annotations on the pull request), INPUT_FAIL_ON,
# INPUT_BASELINE, INPUT_CONFIG, INPUT_SARIF_FILE. NIXFORGE_BIN is the CLI's entry script.
#
# Two runs share one result cache: the first writes the SARIF report for code scanning, the second (answered from
# the cache, a few percent of the first's CPU) prints the report in INPUT_FORMAT and decides the exit code. The
# script itself exits 0 after recording `exit-code` and `sarif-file` in GITHUB_OUTPUT, so the SARIF upload still
# runs when findings fail the job; action.yml fails afterwards with the recorded code.
set -uo pipefail

bin="${NIXFORGE_BIN:?NIXFORGE_BIN must point at nixforge.js}"
format="${INPUT_FORMAT:-github}"
fail_on="${INPUT_FAIL_ON:-error}"
sarif="${INPUT_SARIF_FILE:-${RUNNER_TEMP:-/tmp}/nixforge.sarif}"
cache="${RUNNER_TEMP:-/tmp}/nixforge-cache"
output="${GITHUB_OUTPUT:-/dev/null}"

read -r -a paths <<<"$(printf '%s' "${INPUT_PATHS:-.}" | tr '\n' ' ')"
[ "${#paths[@]}" -gt 0 ] || paths=(.)

common=(--no-progress --cache --cache-location "$cache")
[ -n "${INPUT_CONFIG:-}" ] && common+=(--config "$INPUT_CONFIG")
[ -n "${INPUT_BASELINE:-}" ] && common+=(--baseline "$INPUT_BASELINE")

node "$bin" scan "${paths[@]}" "${common[@]}" --format sarif --output "$sarif" --fail-on never
sarif_status=$?

# Without a SARIF file the first run failed on usage or configuration, and the second would fail the same way.
status=$sarif_status
if [ -f "$sarif" ]; then
  node "$bin" scan "${paths[@]}" "${common[@]}" --format "$format" --fail-on "$fail_on"
  status=$?
fi

{
  echo "exit-code=$status"
  if [ -f "$sarif" ]; then echo "sarif-file=$sarif"; else echo "sarif-file="; fi
} >>"$output"
echo "nixforge: exit code $status"
exit 0
