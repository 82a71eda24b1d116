#!/usr/bin/env bash
# One-time setup on a fresh Debian machine: npm packages, plus the software WebGPU adapter
# (SwiftShader) and headless Chromium that the WGSL backend's tests run on.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

npm ci --no-fund --no-audit
bash scripts/setup-webgpu.sh --browser
