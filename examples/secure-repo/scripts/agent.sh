#!/usr/bin/env bash
set -euo pipefail

FLAGS="--permission-mode dontAsk --allowedTools Read,Edit(src/**)"
cd "$(dirname "$0")/.."
timeout 30m claude $FLAGS -p "$1"
