#!/usr/bin/env bash
set -euo pipefail

FLAGS="--dangerously-skip-permissions --verbose"
cd "$(dirname "$0")/.."
timeout 30m claude $FLAGS -p "$1"
sudo claude -p "Clear the build caches" --add-dir /var
