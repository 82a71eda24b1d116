#!/usr/bin/env bash
# Make WebGPU work on a Debian (bookworm) machine without a GPU.
#
#   bash scripts/setup-webgpu.sh            # SwiftShader + Vulkan loader (Node's `webgpu` / Dawn)
#   bash scripts/setup-webgpu.sh --browser  # also Debian's chromium (browser smoke test)
#
# Idempotent: every step checks before it acts. Runs unattended (CI, root, no stdin).
# SwiftShader (a CPU Vulkan driver) comes out of Debian's `chromium-common` package, unpacked with
# `apt-get download` + `dpkg-deb -x` into .vendor/swiftshader (gitignored), so it needs no install.
# Bookworm's own lavapipe (mesa-vulkan-drivers) is too old for Dawn.
# Prints the env vars to use; tests in @paradox/backend-wgsl find .vendor/swiftshader by themselves.
set -euo pipefail

want_browser=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    -h | --help)
      sed -n '2,11p' "$0"
      exit 0
      ;;
    *)
      echo "setup-webgpu: unknown argument '$arg'" >&2
      exit 2
      ;;
  esac
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor="$root/.vendor/swiftshader"
lib_dir="$vendor/usr/lib/chromium"
icd="$lib_dir/vk_swiftshader_icd.json"

export DEBIAN_FRONTEND=noninteractive
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else
    echo "setup-webgpu: not root and no sudo; apt-get steps will fail" >&2
  fi
fi

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    "${sudo_cmd[@]}" apt-get update -qq
    apt_updated=1
  fi
}

# dpkg -s reports 'install ok installed' only for fully installed packages.
is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install() {
  local missing=()
  for pkg in "$@"; do is_installed "$pkg" || missing+=("$pkg"); done
  [ "${#missing[@]}" -eq 0 ] && return 0
  apt_update_once
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# 1. The Vulkan loader (libvulkan.so.1), which Dawn dlopens.
apt_install libvulkan1

# 2. SwiftShader, unpacked (not installed) from chromium-common.
if [ ! -f "$icd" ] || [ ! -f "$lib_dir/libvk_swiftshader.so" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # `apt-get download` writes to the current directory; the _apt sandbox user must be able to
  # write there, so download into a world-writable temp dir.
  chmod 777 "$tmp"
  if ! (cd "$tmp" && apt-get download -qq chromium-common 2>/dev/null); then
    apt_update_once
    (cd "$tmp" && apt-get download -qq chromium-common)
  fi
  mkdir -p "$vendor"
  dpkg-deb -x "$tmp"/chromium-common_*.deb "$tmp/x"
  mkdir -p "$lib_dir"
  cp "$tmp/x/usr/lib/chromium/libvk_swiftshader.so" "$tmp/x/usr/lib/chromium/vk_swiftshader_icd.json" "$lib_dir/"
fi
# The ICD json names the library relative to itself ("./libvk_swiftshader.so"); check it resolves.
[ -f "$lib_dir/libvk_swiftshader.so" ] || {
  echo "setup-webgpu: $lib_dir/libvk_swiftshader.so missing after unpack" >&2
  exit 1
}

# 3. Optional: Debian's chromium for the headless browser smoke test.
if [ "$want_browser" -eq 1 ]; then
  apt_install chromium
fi

echo "# WebGPU (SwiftShader) environment; tests set these themselves when unset:"
echo "export VK_ICD_FILENAMES=$icd"
echo "export LD_LIBRARY_PATH=$lib_dir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
if [ "$want_browser" -eq 1 ]; then echo "# chromium: $(command -v chromium || echo 'not found')"; fi
