#!/usr/bin/env bash
# One-time setup on a fresh Debian machine: npm packages, plus the software WebGPU adapter
# (SwiftShader) and headless Chromium that the WGSL backend's tests run on.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

# onnxruntime-node (bench only) would download CUDA binaries on linux-x64; the env var skips that
# (an .npmrc key would make npm warn "Unknown project config" on every command).
# package.json's allowScripts reviews the dependencies' install scripts (npm >= 11.16 warns about
# unreviewed ones; npm 11 still runs them all, npm 12 runs only the allowed ones). Nothing here needs
# any of them on Linux (checked with `npm ci --ignore-scripts`: koffi, esbuild, webgpu, onnxruntime-node
# and protobufjs load and their tests pass). Allowed: koffi (builds from source where its prebuilt
# binary does not load), esbuild (checks its platform binary), webgpu (clears macOS quarantine on
# Dawn). Denied: core-js (a banner), protobufjs (a version-scheme warning), onnxruntime-node (the
# CUDA download above).
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
