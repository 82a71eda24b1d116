#!/usr/bin/env bash
# One-time setup on a fresh Debian machine: npm packages, plus the software WebGPU adapter
# (SwiftShader) and headless Chromium that the WGSL backend's tests run on.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

# onnxruntime-node (bench only) would download CUDA binaries on linux-x64; the env var skips that
# (an .npmrc key would make npm warn "Unknown project config" on every command).
ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-fund --no-audit
# @paradox/backend-c and the CUDA CPU emulation compile generated code with the host C/C++ compiler.
if ! command -v cc >/dev/null && ! command -v gcc >/dev/null; then
  apt-get update && apt-get install -y --no-install-recommends gcc g++
fi
# ONNX's backend test data (node/, simple/, pytorch-*/), which @paradox/onnx's suite runs in `npm test`.
if [ ! -d /usr/share/libonnx-testdata/data/node ]; then
  apt-get update && apt-get install -y --no-install-recommends libonnx-testdata
fi
# examples/train-fashion-mnist (`npm run train`) reads Fashion-MNIST from Debian's package.
if [ ! -d /usr/share/datasets/fashion-mnist ]; then
  apt-get update && apt-get install -y --no-install-recommends dataset-fashion-mnist
fi
bash scripts/setup-webgpu.sh --browser
