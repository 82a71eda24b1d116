#!/usr/bin/env bash
# One-time setup on a fresh Debian machine: npm packages, plus the software WebGPU adapter
# (SwiftShader) and headless Chromium that the WGSL backend's tests run on.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

npm ci --no-fund --no-audit
# @paradox/backend-c and the CUDA CPU emulation compile generated code with the host C/C++ compiler.
if ! command -v cc >/dev/null && ! command -v gcc >/dev/null; then
  apt-get update && apt-get install -y --no-install-recommends gcc g++
fi
bash scripts/setup-webgpu.sh --browser
