#!/usr/bin/env bash
# Installs everything the workspace needs on a fresh machine: pnpm (the pinned version) and the
# dependencies from the lockfile. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "Installing pnpm $pnpm_version"
  npm install --global "pnpm@$pnpm_version" --no-fund --no-audit
fi

CI=true pnpm install --frozen-lockfile
